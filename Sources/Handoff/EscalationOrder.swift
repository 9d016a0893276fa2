import Foundation
import IntakeCore

/// The staff queue's order: most urgent priority first, then the earliest SLA deadline, then
/// the oldest, then by id so the order is total and stable.
public enum EscalationOrder {
    /// True when `a` comes before `b`.
    public static func precedes(_ a: EscalationSnapshot, _ b: EscalationSnapshot) -> Bool {
        if a.priority != b.priority { return a.priority < b.priority }
        if a.slaDueAt != b.slaDueAt { return a.slaDueAt < b.slaDueAt }
        if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
        return a.id < b.id
    }

    /// Keeps those matching `status` and `queue` (nil matches any), most urgent first.
    public static func list(_ items: [EscalationSnapshot], status: EscalationStatus? = nil,
                            queue: String? = nil) -> [EscalationSnapshot] {
        items.filter { item in
            (status == nil || item.status == status) && (queue == nil || item.queue == queue)
        }.sorted(by: precedes)
    }
}
