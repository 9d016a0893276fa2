import Foundation
import Handoff
import IntakeCore
import Store

/// Conversions between the Handoff values and the Store rows.
enum EscalationRecords {
    /// The state-machine view of a stored row. A row the store holds was written by us, so an
    /// unreadable field means a damaged database: it surfaces as a failed job (503).
    static func snapshot(_ r: EscalationRecord) throws -> EscalationSnapshot {
        try EscalationSnapshot(id: r.id, conversationID: r.conversationID, queue: r.queue, priority: r.priority,
                               status: r.status, reason: r.reason, createdAt: r.createdAt,
                               slaDueAt: r.slaDueAt ?? r.createdAt, claimedBy: r.claimedBy, claimedAt: r.claimedAt,
                               resolvedAt: r.resolvedAt, resolution: r.resolution)
    }

    /// The row for `e` with the given packet snapshot.
    static func record(_ e: EscalationSnapshot, decisionID: String?, packetJSON: String, updatedAt: String) -> EscalationRecord {
        EscalationRecord(id: e.id, conversationID: e.conversationID, decisionID: decisionID, queue: e.queue,
                         priority: e.priority.rawValue, status: e.status.rawValue, reason: e.reason, packetJSON: packetJSON,
                         createdAt: RFC3339.format(e.createdAt), updatedAt: updatedAt, claimedBy: e.claimedBy,
                         claimedAt: e.claimedAt.map(RFC3339.format), resolvedAt: e.resolvedAt.map(RFC3339.format),
                         resolution: e.resolution, slaDueAt: RFC3339.format(e.slaDueAt))
    }

    /// A transition row; creation is stored with no `from` status.
    static func transition(_ t: Transition, escalationID: String, created: Bool = false) -> EscalationTransitionRecord {
        EscalationTransitionRecord(escalationID: escalationID, at: RFC3339.format(t.at), fromStatus: created ? nil : t.from.rawValue,
                                   toStatus: t.to.rawValue, actor: t.actor, note: t.note)
    }
}

/// Queuing webhook events in the outbox, inside the caller's transaction.
enum Outbox {
    /// Stores `event`'s exact body, due now; idempotent per event id.
    static func enqueue(_ event: WebhookEvent, in tx: WriteTransaction) throws {
        try tx.enqueueOutbox(OutboxRecord(eventID: event.id, type: event.type.rawValue,
                                          payloadJSON: String(decoding: event.body(), as: UTF8.self),
                                          createdAt: event.created_at, nextAttemptAt: event.created_at))
    }
}
