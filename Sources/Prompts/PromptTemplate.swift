/// One chat message of a rendered prompt.
public struct PromptMessage: Sendable, Equatable, Codable {
    /// "system" or "user".
    public var role: String
    public var content: String
    public init(role: String, content: String) { self.role = role; self.content = content }
}

/// A parsed prompt template: sections of literal text and `{{placeholder}}`s. Immutable.
public struct PromptTemplate: Sendable, Equatable {
    /// A piece of a section.
    enum Segment: Sendable, Equatable {
        case literal(String)
        case placeholder(String)
    }

    /// The file name without `.prompt`, e.g. "classify".
    public let name: String
    /// `sha256:` and the hex SHA-256 of the file's bytes: changes whenever the file does.
    public let version: String
    /// The placeholders the template uses.
    public let placeholders: Set<String>
    let sections: [(role: String, segments: [Segment])]

    init(name: String, version: String, sections: [(role: String, segments: [Segment])]) {
        self.name = name; self.version = version; self.sections = sections
        var used = Set<String>()
        for s in sections { for case .placeholder(let p) in s.segments { used.insert(p) } }
        self.placeholders = used
    }

    public static func == (a: PromptTemplate, b: PromptTemplate) -> Bool {
        a.name == b.name && a.version == b.version
    }

    /// Fills every placeholder from `values`. Strict: a placeholder without a value throws
    /// `PromptError.missingValues`; values the template does not use are ignored. Values are
    /// inserted verbatim (they are redacted by the caller, not here).
    public func render(values: [String: String]) throws -> [PromptMessage] {
        let missing = placeholders.filter { values[$0] == nil }.sorted()
        guard missing.isEmpty else { throw PromptError.missingValues(template: name, names: missing) }
        return sections.map { section in
            let content = section.segments.map { seg -> String in
                switch seg {
                case .literal(let s): s
                case .placeholder(let p): values[p]!
                }
            }.joined()
            return PromptMessage(role: section.role, content: content)
        }
    }
}
