import Foundation

/// Parses the INI-style `intaked.conf`: `[section]`, `key = value`, `#` comments (also after a
/// value), `[key NAME]` sections for API keys. Every error is collected, not just the first.
public enum ConfigParser {
    /// Parses `text` (read from `file`) on top of `base`.
    public static func parse(_ text: String, file: String, base: Config = Config()) -> Result<Config, ConfigErrors> {
        var state = ParseState(file: file, config: base)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            state.line = index + 1
            state.consume(line: stripComment(String(raw)).trimmingCharacters(in: .whitespaces))
        }
        state.finishSection()
        // Section values are checked when the section ends; report in file order regardless.
        let errors = state.errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
        return errors.isEmpty ? .success(state.config) : .failure(ConfigErrors(errors))
    }

    /// Drops a `#` comment; a `#` inside a value must be preceded by no whitespace to stay.
    static func stripComment(_ line: String) -> String {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { return "" }
        if let range = line.range(of: " #") ?? line.range(of: "\t#") { return String(line[..<range.lowerBound]) }
        return line
    }
}

/// The mutable state of one parse.
private struct ParseState {
    let file: String
    var config: Config
    var line = 0
    var errors: [ConfigError] = []
    var section: String?
    var sectionLine = 0
    var keyName: String?
    var pending: [String: (value: String, line: Int)] = [:]
    var seen: Set<String> = []

    init(file: String, config: Config) { self.file = file; self.config = config }

    mutating func fail(_ message: String, at line: Int? = nil) {
        errors.append(ConfigError(file: file, line: line ?? self.line, message: message))
    }

    mutating func consume(line text: String) {
        guard !text.isEmpty else { return }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { return fail("section header must end with ']'") }
            finishSection()
            openSection(String(text.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces))
            return
        }
        guard let eq = text.firstIndex(of: "=") else { return fail("expected 'key = value'") }
        let key = text[..<eq].trimmingCharacters(in: .whitespaces)
        let value = text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        guard let section else { return fail("'\(key)' is outside any section") }
        guard !key.isEmpty else { return fail("empty key") }
        guard pending[key] == nil else { return fail("'\(key)' is set twice in [\(section)]") }
        guard ConfigSchema.keys(for: section)?.contains(key) == true else {
            return fail("unknown key '\(key)' in [\(section)]")
        }
        pending[key] = (value, line)
    }

    mutating func openSection(_ header: String) {
        let parts = header.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        section = nil
        keyName = nil
        sectionLine = line
        if parts.count == 2, parts[0] == "key" {
            guard parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                return fail("key name '\(parts[1])' may use letters, digits, '-' and '_' only")
            }
            guard !config.keys.contains(where: { $0.name == parts[1] }) else { return fail("key '\(parts[1])' is defined twice") }
            section = "key"
            keyName = parts[1]
            return
        }
        guard parts.count == 1, ConfigSchema.keys(for: parts[0]) != nil else {
            return fail("unknown section [\(header)]")
        }
        guard !seen.contains(parts[0]) else { return fail("section [\(parts[0])] appears twice") }
        seen.insert(parts[0])
        section = parts[0]
    }

    mutating func finishSection() {
        defer { pending = [:] }
        guard let section else { return }
        var applier = ConfigApplier(config: config, values: pending, sectionLine: sectionLine)
        applier.apply(section: section, keyName: keyName)
        config = applier.config
        errors += applier.problems.map { ConfigError(file: file, line: $0.line, message: $0.message) }
    }
}
