import Foundation
import RuleEngine

/// A rule set that failed to load: one line per diagnostic, `FILE:LINE:COLUMN: message`.
public struct RuleLoadFailure: Error, Sendable {
    public struct Item: Sendable {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String
    }
    public var items: [Item]

    public var lines: [String] { items.map { "\($0.file):\($0.line):\($0.column): \($0.message)" } }
}

/// Loads a rule directory into a `RuleSet`, mapping the rule engine's diagnostics.
public enum RuleSetLoading {
    public static func load(directory: String) -> Result<RuleSet, RuleLoadFailure> {
        switch RuleLoader.load(directory: directory) {
        case .success(let rules): return .success(rules)
        case .failure(let error):
            return .failure(RuleLoadFailure(items: error.diagnostics.map {
                .init(file: $0.file, line: $0.line, column: $0.column, message: $0.message)
            }))
        }
    }
}
