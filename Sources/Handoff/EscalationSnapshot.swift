import Foundation
import IntakeCore

/// What the Service layer knows about a stored escalation: enough to plan the next message,
/// order the queue and rebuild the state machine.
public struct EscalationSnapshot: Codable, Sendable, Equatable {
    public var id: String
    public var conversationID: String
    public var queue: String
    public var priority: Priority
    public var status: EscalationStatus
    public var reason: String
    public var createdAt: Date
    public var slaDueAt: Date
    public var claimedBy: String?
    public var claimedAt: Date?
    public var resolvedAt: Date?
    public var resolution: String?

    public init(id: String, conversationID: String, queue: String, priority: Priority,
                status: EscalationStatus, reason: String = "", createdAt: Date, slaDueAt: Date,
                claimedBy: String? = nil, claimedAt: Date? = nil, resolvedAt: Date? = nil,
                resolution: String? = nil) {
        self.id = id; self.conversationID = conversationID; self.queue = queue
        self.priority = priority; self.status = status; self.reason = reason
        self.createdAt = createdAt; self.slaDueAt = slaDueAt; self.claimedBy = claimedBy
        self.claimedAt = claimedAt; self.resolvedAt = resolvedAt; self.resolution = resolution
    }

    /// Reads a stored row whose fields are plain strings (RFC 3339 dates). Throws
    /// `.invalidValue` naming the field (never its value) when one cannot be read.
    public init(id: String, conversationID: String, queue: String, priority: String, status: String,
                reason: String, createdAt: String, slaDueAt: String, claimedBy: String?,
                claimedAt: String?, resolvedAt: String?, resolution: String?) throws(HandoffError) {
        guard let p = Priority(rawValue: priority) else { throw HandoffError(.invalidValue, "priority") }
        guard let s = EscalationStatus(rawValue: status) else { throw HandoffError(.invalidValue, "status") }
        func date(_ text: String, _ field: String) throws(HandoffError) -> Date {
            guard let d = RFC3339.parse(text) else { throw HandoffError(.invalidValue, field) }
            return d
        }
        func optionalDate(_ text: String?, _ field: String) throws(HandoffError) -> Date? {
            guard let text, !text.isEmpty else { return nil }
            return try date(text, field)
        }
        self.init(id: id, conversationID: conversationID, queue: queue, priority: p, status: s,
                  reason: reason, createdAt: try date(createdAt, "created_at"),
                  slaDueAt: try date(slaDueAt, "sla_due_at"), claimedBy: claimedBy,
                  claimedAt: try optionalDate(claimedAt, "claimed_at"),
                  resolvedAt: try optionalDate(resolvedAt, "resolved_at"), resolution: resolution)
    }

    /// The state machine for this escalation.
    public var state: EscalationState {
        EscalationState(status: status, priority: priority, claimedBy: claimedBy,
                        claimedAt: claimedAt, resolvedAt: resolvedAt, resolution: resolution)
    }

    /// Copies the state machine's fields back after an event.
    public mutating func apply(_ state: EscalationState) {
        status = state.status; priority = state.priority; claimedBy = state.claimedBy
        claimedAt = state.claimedAt; resolvedAt = state.resolvedAt; resolution = state.resolution
    }
}
