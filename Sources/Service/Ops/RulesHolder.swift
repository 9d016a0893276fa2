import Foundation
import RuleEngine

/// The rule set in force. A reload builds a complete new snapshot, validates it, and swaps it
/// in atomically; a request keeps the snapshot it started with.
public final class RulesHolder: @unchecked Sendable {
    // Guarded by `lock`: swapped by reloads, read by every request.
    private let lock = NSLock()
    private var current: RuleSet
    public let directory: String

    public init(directory: String, initial: RuleSet) {
        self.directory = directory
        self.current = initial
    }

    /// The snapshot to use for one request.
    public var snapshot: RuleSet { lock.withLock { current } }

    /// Loads the directory again. On success the new rules are in force; on failure the old
    /// ones stay and the diagnostics are returned.
    public func reload() -> Result<RuleSet, RuleLoadFailure> {
        switch RuleSetLoading.load(directory: directory) {
        case .success(let rules):
            lock.withLock { current = rules }
            return .success(rules)
        case .failure(let failure):
            return .failure(failure)
        }
    }
}
