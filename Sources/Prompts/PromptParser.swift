import IntakeCore

/// Parses one `.prompt` file. Pure: text in, template or diagnostics out.
///
/// Format: optional `#` comment lines at the top, then sections opened by a line `[system]`
/// or `[user]` (a `[user]` section is required). Section text may use `{{name}}` placeholders
/// from `PromptParser.knownPlaceholders`; any other name is an error.
public enum PromptParser {
    /// The placeholders a template may use, and what the caller fills them with.
    public static let knownPlaceholders: [String: String] = [
        "message": "the patient's message, redacted",
        "channel": "chat, sms or voice",
        "language": "the message language, e.g. en or es",
        "intents": "the contract's intent labels, comma-separated",
        "rules_intent": "the intent the rules chose",
        "rules_confidence": "the rules' confidence, 0..1",
        "runner_up": "the rules' second intent, or 'none'",
    ]
    /// The largest prompt file accepted, in bytes.
    public static let maxFileBytes = 64 * 1024
    static let roles: Set<String> = ["system", "user"]

    /// Parses `text` as the file `file` (a path or name like "classify.prompt"); diagnostics
    /// name `file`, the template is named after its last path component without `.prompt`.
    public static func parse(file: String, text: String) -> Result<PromptTemplate, PromptError> {
        var diags: [PromptDiagnostic] = []
        func diag(_ line: Int, _ col: Int, _ code: String, _ msg: String) {
            diags.append(PromptDiagnostic(file: file, line: line, column: col, code: code, message: msg))
        }
        if text.utf8.count > maxFileBytes {
            diag(1, 1, PromptDiagnostic.Code.fileTooLarge, "prompt file is larger than \(maxFileBytes) bytes")
            return .failure(.invalid(diags))
        }
        var sections: [(role: String, lines: [[PromptTemplate.Segment]])] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let lineNo = index + 1
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") && !trimmed.contains("{{") {
                let role = String(trimmed.dropFirst().dropLast()).lowercased()
                if !roles.contains(role) {
                    diag(lineNo, 1, PromptDiagnostic.Code.unknownSection, "unknown section '\(trimmed)'; expected [system] or [user]")
                } else if sections.contains(where: { $0.role == role }) {
                    diag(lineNo, 1, PromptDiagnostic.Code.duplicateSection, "section [\(role)] appears twice")
                } else {
                    sections.append((role, []))
                }
                continue
            }
            if sections.isEmpty {
                if !trimmed.isEmpty && !trimmed.hasPrefix("#") {
                    diag(lineNo, 1, PromptDiagnostic.Code.textOutsideSection, "text before the first [system] or [user] section")
                }
                continue
            }
            let segs = segments(of: line, line: lineNo) { diag($0, $1, $2, $3) }
            sections[sections.count - 1].lines.append(segs)
        }
        if !sections.contains(where: { $0.role == "user" }) {
            diag(1, 1, PromptDiagnostic.Code.missingUserSection, "a prompt needs a [user] section")
        }
        guard diags.isEmpty else { return .failure(.invalid(diags)) }
        let base = file.split(separator: "/").last.map(String.init) ?? file
        let name = base.hasSuffix(".prompt") ? String(base.dropLast(7)) : base
        let version = "sha256:" + Digest.sha256Hex(text)
        return .success(PromptTemplate(name: name, version: version,
                                       sections: sections.map { ($0.role, join($0.lines)) }))
    }

    /// Splits one line into literals and placeholders, reporting bad placeholders.
    static func segments(of line: String, line lineNo: Int,
                         report: (Int, Int, String, String) -> Void) -> [PromptTemplate.Segment] {
        var out: [PromptTemplate.Segment] = []
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
            out.append(.literal(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                report(lineNo, column, PromptDiagnostic.Code.unterminatedPlaceholder, "'{{' without a closing '}}' on this line")
                return out
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !isIdentifier(name) {
                report(lineNo, column, PromptDiagnostic.Code.badPlaceholderName, "'{{\(name)}}' is not a placeholder name (lowercase letters, digits, '_')")
            } else if knownPlaceholders[name] == nil {
                let known = knownPlaceholders.keys.sorted().joined(separator: ", ")
                report(lineNo, column, PromptDiagnostic.Code.unknownPlaceholder, "unknown placeholder '{{\(name)}}'; known: \(known)")
            } else {
                out.append(.placeholder(name))
            }
            rest = rest[close.upperBound...]
        }
        out.append(.literal(String(rest)))
        return out
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Joins a section's lines, trimming blank lines at both ends.
    static func join(_ lines: [[PromptTemplate.Segment]]) -> [PromptTemplate.Segment] {
        func blank(_ l: [PromptTemplate.Segment]) -> Bool {
            l.allSatisfy { if case .literal(let s) = $0 { s.trimmingCharacters(in: .whitespaces).isEmpty } else { false } }
        }
        var ls = lines
        while let f = ls.first, blank(f) { ls.removeFirst() }
        while let l = ls.last, blank(l) { ls.removeLast() }
        var out: [PromptTemplate.Segment] = []
        for (i, l) in ls.enumerated() {
            if i > 0 { out.append(.literal("\n")) }
            out.append(contentsOf: l)
        }
        return out
    }
}
