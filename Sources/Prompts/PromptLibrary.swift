import Foundation
import IntakeCore

/// All prompt templates of a directory, loaded all-or-nothing. Immutable; a reload builds a
/// new library and swaps it in only when it loaded cleanly.
public struct PromptLibrary: Sendable {
    /// Templates by name (file name without `.prompt`).
    public let templates: [String: PromptTemplate]
    /// `sha256:` over the sorted template names and versions: one id for the whole set.
    public let version: String

    /// Builds a library from already-read files (`name` like "classify.prompt", `text`).
    /// Pure; throws `PromptError.invalid` with every problem of every file.
    public static func parse(files: [(name: String, text: String)]) throws -> PromptLibrary {
        var templates: [String: PromptTemplate] = [:]
        var diags: [PromptDiagnostic] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            switch PromptParser.parse(file: file.name, text: file.text) {
            case .success(let t): templates[t.name] = t
            case .failure(.invalid(let d)): diags.append(contentsOf: d)
            case .failure(let other): throw other
            }
        }
        guard diags.isEmpty else { throw PromptError.invalid(diags) }
        return PromptLibrary(templates: templates)
    }

    /// Reads every `*.prompt` file in `directory` (not recursive) and parses them.
    /// Diagnostics name files by their path inside the directory as given.
    public static func load(directory: String) throws -> PromptLibrary {
        let fm = FileManager.default
        let names: [String]
        do { names = try fm.contentsOfDirectory(atPath: directory) } catch {
            throw PromptError.directory(path: directory, message: "cannot list prompt directory")
        }
        var files: [(name: String, text: String)] = []
        var diags: [PromptDiagnostic] = []
        for name in names.sorted() where name.hasSuffix(".prompt") {
            let path = (directory as NSString).appendingPathComponent(name)
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > PromptParser.maxFileBytes {
                diags.append(PromptDiagnostic(file: path, line: 1, column: 1, code: PromptDiagnostic.Code.fileTooLarge,
                                              message: "prompt file is larger than \(PromptParser.maxFileBytes) bytes"))
                continue
            }
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                diags.append(PromptDiagnostic(file: path, line: 1, column: 1, code: PromptDiagnostic.Code.unreadable,
                                              message: "cannot read the file as UTF-8 text"))
                continue
            }
            files.append((path, text))
        }
        let parsed: PromptLibrary
        do { parsed = try parse(files: files) } catch PromptError.invalid(let more) {
            throw PromptError.invalid(diags + more)
        }
        guard diags.isEmpty else { throw PromptError.invalid(diags) }
        return parsed
    }

    /// The template called `name`, if the directory had `name.prompt`.
    public func template(named name: String) -> PromptTemplate? { templates[name] }

    init(templates: [String: PromptTemplate]) {
        self.templates = templates
        let listing = templates.keys.sorted().map { "\($0) \(templates[$0]!.version)\n" }.joined()
        self.version = "sha256:" + Digest.sha256Hex(listing)
    }

    /// An empty library (no prompts directory, no model).
    public static let empty = PromptLibrary(templates: [:])
}
