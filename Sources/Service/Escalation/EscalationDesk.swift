import Foundation
import Handoff
import IntakeCore
import Store

/// The staff side of escalations: the queue, the handoff packet, and the claim / release /
/// resolve transitions. Each transition is one write job that reads the row, runs the state
/// machine and writes back; the store's single writer makes that a compare-and-set, so of
/// concurrent claims exactly one wins and the others see `claimed` (409).
struct EscalationDesk: Sendable {
    let store: Store
    let clock: any Clock
    /// Queue `escalation.updated` webhooks for staff transitions.
    let webhooks: Bool

    /// A staff event on an escalation.
    enum Event: Sendable {
        case claim(assignee: String, note: String?)
        case release(actor: String, note: String?)
        case resolve(actor: String, outcome: String, note: String?)

        var change: String {
            switch self { case .claim: "claimed"; case .release: "released"; case .resolve: "resolved" }
        }
    }

    /// The queue, most urgent first.
    func list(status: EscalationStatus?, queue: String?, limit: Int) throws -> [[String: Any]] {
        try store.read { try $0.escalations(status: status?.rawValue, queue: queue, limit: limit) }.map(Self.summary)
    }

    /// The packet for escalation `id`, rebuilt from the store, with status, assignee, deadline and
    /// transitions; nil when there is no such escalation.
    func packet(id: String) throws -> [String: Any]? {
        try store.read { tx -> [String: Any]? in
            guard let row = try tx.escalation(id: id) else { return nil }
            let e = try EscalationRecords.snapshot(row)
            let packet = try PacketAssembler.packet(conversationID: row.conversationID, escalation: e, in: tx)
            var out = (try JSONSerialization.jsonObject(with: packet.json()) as? [String: Any]) ?? [:]
            for (k, v) in Self.summary(row) { out[k] = v }
            out["transitions"] = try tx.transitions(escalationID: id).map { t -> [String: Any] in
                ["at": t.at, "from": t.fromStatus as Any? ?? NSNull(), "to": t.toStatus, "actor": t.actor,
                 "note": t.note as Any? ?? NSNull()]
            }
            return out
        }
    }

    /// Applies `event` to escalation `id`; completion gets the updated summary.
    func transition(id: String, _ event: Event,
                    completion: @escaping @Sendable (Result<[String: Any], APIError>) -> Void) {
        let now = clock.now()
        let webhooks = webhooks
        store.write({ tx -> Result<EscalationRecord, APIError> in
            guard let row = try tx.escalation(id: id) else { return .failure(.notFound) }
            var e = try EscalationRecords.snapshot(row)
            var state = e.state
            let t: Transition
            do throws(HandoffError) {
                switch event {
                case .claim(let who, let note): t = try state.claim(by: who, at: now, note: note)
                case .release(let who, let note): t = try state.release(by: who, at: now, note: note)
                case .resolve(let who, let outcome, let note): t = try state.resolve(by: who, at: now, outcome: outcome, note: note)
                }
            } catch {
                return .failure(APIError(.conflict, code: error.code == .conflict ? "already_claimed" : "invalid_transition", error.message))
            }
            e.apply(state)
            let updated = EscalationRecords.record(e, decisionID: row.decisionID, packetJSON: row.packetJSON,
                                                   updatedAt: RFC3339.format(now))
            try tx.updateEscalation(updated)
            try tx.insertTransition(EscalationRecords.transition(t, escalationID: id))
            if webhooks {
                try Outbox.enqueue(WebhookEvent(type: .escalationUpdated, createdAt: now, data: [
                    "escalation": Escalator.json(e), "conversation_id": .string(e.conversationID),
                    "change": .string(event.change), "actor": .string(t.actor),
                ]), in: tx)
            }
            return .success(updated)
        }, completion: { result in
            switch result {
            case .success(.success(let row)): completion(.success(Self.summary(row)))
            case .success(.failure(let error)): completion(.failure(error))
            case .failure: completion(.failure(APIError(.unavailable, code: "unavailable", "the change could not be stored; retry")))
            }
        })
    }

    /// An escalation as the queue lists it.
    static func summary(_ r: EscalationRecord) -> [String: Any] {
        func opt(_ s: String?) -> Any { s as Any? ?? NSNull() }
        return ["id": r.id, "conversation_id": r.conversationID, "decision_id": opt(r.decisionID), "queue": r.queue,
                "priority": r.priority, "status": r.status, "reason": r.reason, "created_at": r.createdAt,
                "updated_at": r.updatedAt, "sla_due_at": opt(r.slaDueAt), "assignee": opt(r.claimedBy),
                "claimed_at": opt(r.claimedAt), "resolved_at": opt(r.resolvedAt), "outcome": opt(r.resolution)]
    }
}
