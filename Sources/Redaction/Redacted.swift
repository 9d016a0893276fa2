/// The kinds of identifier the redactor replaces, each with its typed placeholder.
public enum RedactionKind: String, Sendable, CaseIterable, Codable, Comparable {
    case name, phone, email, dob, address, mrn, ssn, id

    /// The placeholder that replaces an identifier of this kind, e.g. `[PHONE]`.
    public var placeholder: String { "[\(rawValue.uppercased())]" }

    public static func < (a: RedactionKind, b: RedactionKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Text with patient identifiers replaced by typed placeholders, and how many of each.
public struct Redacted: Sendable, Equatable {
    /// The redacted text: safe to send to a model endpoint or write to a log.
    public var text: String
    /// Replacements made, by kind. Kinds with no replacement are absent.
    public var counts: [RedactionKind: Int]

    /// Creates a result.
    public init(text: String, counts: [RedactionKind: Int] = [:]) {
        self.text = text; self.counts = counts
    }

    /// Total number of replacements.
    public var total: Int { counts.values.reduce(0, +) }

    /// Replacements of one kind (0 when none).
    public func count(_ kind: RedactionKind) -> Int { counts[kind] ?? 0 }
}
