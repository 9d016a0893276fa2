import Foundation
import IntakeCore
import RuleLanguage

/// One loaded rule file, as `intakectl rules check` and `POST /v1/admin/reload` report it.
public struct RuleFileSummary: Codable, Sendable, Equatable {
    public var file: String
    /// Number of `rule` and `signal` statements.
    public var rules: Int
    /// SHA-256 of the file's bytes, hex.
    public var sha256: String
}

/// Why a rule directory did not load: every error, sorted by file, line and column.
public struct RuleSetError: Error, Sendable, Sequence {
    public var diagnostics: [Diagnostic]
    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }
    /// Iterates the diagnostics (so callers can `map` the error directly).
    public func makeIterator() -> IndexingIterator<[Diagnostic]> { diagnostics.makeIterator() }
}

/// An immutable, compiled rule set. Classification is pure and safe from any thread.
public final class RuleSet: Sendable {
    private let compiled: CompiledRules
    /// "sha256:<hex>" over the files' names and contents.
    public let version: String
    public let files: [RuleFileSummary]

    init(compiled: CompiledRules, version: String, files: [RuleFileSummary]) {
        self.compiled = compiled; self.version = version; self.files = files
    }

    /// Compiles parsed files; semantic errors come back as diagnostics.
    public static func compile(_ files: [RuleFile], version: String, summaries: [RuleFileSummary]) -> Result<RuleSet, RuleSetError> {
        let syntax = files.flatMap(\.diagnostics)
        switch Compiler.compile(files) {
        case .failure(let semantic): return .failure(RuleSetError(diagnostics: syntax + semantic.diagnostics))
        case .success(let rules):
            if !syntax.isEmpty { return .failure(RuleSetError(diagnostics: syntax)) }
            return .success(RuleSet(compiled: rules, version: version, files: summaries))
        }
    }

    /// Parses and compiles in-memory sources (name, text), e.g. for tests.
    public static func compile(sources: [(name: String, text: String)]) -> Result<RuleSet, RuleSetError> {
        let files = sources.map { Parser.parse(text: $0.text, file: $0.name) }
        let summaries = zip(sources, files).map { source, file in
            RuleFileSummary(file: source.name, rules: file.statements.filter(\.isRule).count,
                            sha256: Digest.sha256Hex(source.text))
        }
        var hashed = ""
        for s in sources { hashed += s.name + "\u{0}" + s.text + "\u{0}" }
        return compile(files, version: "sha256:" + Digest.sha256Hex(hashed), summaries: summaries)
    }

    /// The files as JSON-ready dictionaries (`{file, rules, sha256}`).
    public var fileSummaries: [[String: Any]] {
        files.map { ["file": $0.file, "rules": $0.rules, "sha256": $0.sha256] }
    }

    /// Number of rules and signals over all files.
    public var ruleCount: Int { compiled.rules.count }
    public var thresholds: [String: Double] { compiled.thresholds }
    public func threshold(_ name: String) -> Double? { compiled.thresholds[name] }

    /// The human queue and priority the routing policy gives `intent` (`policy INTENT route R
    /// queue Q priority P`), with the policy's citation; nil when no policy names the intent.
    public func routing(for intent: Intent) -> (queue: String?, priority: Priority?, citation: String)? {
        compiled.policies[intent].map { ($0.queue, $0.priority, $0.citation) }
    }

    /// Reply templates defined in rule files, by key ("reply.emergency", ...) and language ("en", "es").
    public func template(key: String, language: String) -> String? { compiled.templates[key]?[language] }
    public var templateKeys: [String] { compiled.templates.keys.sorted() }

    /// Classifies one message. Pure and thread-safe.
    public func classify(_ text: String, sentAt: Date, timeZone: TimeZone) -> Classification {
        Classifier(rules: compiled, version: version).classify(text, sentAt: sentAt, timeZone: timeZone)
    }
}

extension LocatedStatement {
    var isRule: Bool {
        switch statement {
        case .rule, .signal: return true
        default: return false
        }
    }
}
