import Foundation
import RuleLanguage

/// Loads a rule directory. The only part of the engine that touches files.
public enum RuleLoader {
    /// Largest accepted rule file.
    public static let maxFileBytes = 1 << 20

    /// Loads every `*.rules` file of the directory (sorted by name), all-or-nothing.
    public static func load(directory: String) -> Result<RuleSet, RuleSetError> {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            return .failure(RuleSetError(diagnostics: [Diagnostic(file: directory, line: 0, column: 0, message: "cannot read rule directory")]))
        }
        var sources: [(name: String, text: String)] = []
        var problems: [Diagnostic] = []
        for name in names.filter({ $0.hasSuffix(".rules") }).sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = fm.contents(atPath: path) else {
                problems.append(Diagnostic(file: name, line: 0, column: 0, message: "cannot read file")); continue
            }
            guard data.count <= maxFileBytes else {
                problems.append(Diagnostic(file: name, line: 0, column: 0, message: "file is larger than \(maxFileBytes) bytes")); continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(Diagnostic(file: name, line: 0, column: 0, message: "file is not valid UTF-8")); continue
            }
            sources.append((name, text))
        }
        if sources.isEmpty && problems.isEmpty {
            problems.append(Diagnostic(file: directory, line: 0, column: 0, message: "no .rules files"))
        }
        let result = RuleSet.compile(sources: sources)
        if problems.isEmpty { return result }
        if case .failure(let e) = result { problems += e.diagnostics }
        return .failure(RuleSetError(diagnostics: problems))
    }
}
