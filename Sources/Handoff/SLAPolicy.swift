import Foundation
import IntakeCore

/// Response deadlines per queue and priority, from rule thresholds named
/// `sla.<queue>.<priority>` and `sla.default.<priority>` (values in minutes).
/// Lookup order: the queue's own threshold, then the default, then `builtInMinutes`.
public struct SLAPolicy: Sendable, Equatable {
    /// Used when the rule files define neither a queue nor a default threshold, so every
    /// escalation has a deadline: urgent 15 minutes, high 2 hours, normal 8 hours.
    public static let builtInMinutes: [Priority: Double] = [.urgent: 15, .high: 120, .normal: 480]

    /// Minutes by threshold name, only the `sla.` names.
    public let minutes: [String: Double]

    /// Builds a policy from thresholds; names not starting with `sla.` and non-positive or
    /// non-finite values are ignored, so the whole threshold table can be passed in.
    public init(minutes: [String: Double]) {
        self.minutes = minutes.filter { $0.key.hasPrefix("sla.") && $0.value.isFinite && $0.value > 0 }
    }

    /// Minutes allowed for an escalation in `queue` at `priority`.
    public func minutes(queue: String, priority: Priority) -> Double {
        minutes["sla.\(queue).\(priority.rawValue)"]
            ?? minutes["sla.default.\(priority.rawValue)"]
            ?? SLAPolicy.builtInMinutes[priority]!
    }

    /// The deadline for an escalation created (or raised) at `start`.
    public func dueDate(queue: String, priority: Priority, from start: Date) -> Date {
        start.addingTimeInterval(minutes(queue: queue, priority: priority) * 60)
    }
}
