import Foundation
import Handoff
import IntakeCore
import RuleEngine
import Store

/// The last step of the ingest write job: keeps the conversation's escalation in step with
/// each decided message. A message routed `human` or `emergency` opens an escalation; any later
/// message of that conversation is attached to it (reopening a resolved one, raising it to
/// urgent on an emergency). The row, its transitions and the webhook
/// events are written in the message's own transaction.
///
/// Who owns "stop acting after escalation": `ActionPolicy` does, from the conversation's
/// status, because it runs before the other steps (the booking dialogue must not hold or book
/// in an escalated conversation). This step owns the invariant that makes that work: a
/// conversation has status `escalated` exactly when it has an escalation (of any status),
/// and it repairs the acknowledgement if a conversation row ever disagrees with the store.
struct HandoffStep: IngestStep {
    /// Enqueue webhook events (false without `[webhook]`: nothing would ever deliver them).
    let webhooks: Bool
    /// Identifiers for events; escalation ids are chosen in `apply`.
    let newID: @Sendable (String) -> String
    private let sla = SLACache()

    init(webhooks: Bool, newID: @escaping @Sendable (String) -> String = IDs.make) {
        self.webhooks = webhooks; self.newID = newID
    }

    func apply(_ ctx: inout IngestContext, tx: WriteTransaction) throws {
        // A conversation seen for the first time has no escalation to look up.
        let existing = ctx.existing == nil ? nil : try Self.latest(ctx.message.conversationID, tx)
        ctx.latestEscalation = existing
        guard existing != nil || ctx.route != .automate else { return }
        ctx.status = .escalated
        if existing != nil, ctx.route != .emergency, ctx.action != .escalate {
            // The conversation row said otherwise; the store's escalation wins.
            ctx.action = .escalate
            ctx.route = max(ctx.route, .human)
            ctx.reply = ctx.text("reply.acknowledged")
            ctx.reasons.append(Reason(code: "conversation.escalated", detail: "a member of staff has this conversation"))
        }
        let plan = escalator(ctx, presetID: existing?.id ?? newID("esc"), events: false)
            .plan(decision: Self.provisional(ctx), conversationID: ctx.message.conversationID,
                  channel: ctx.message.channel, existing: existing, now: ctx.now)
        if plan.reopened { ctx.reasons.append(Reason(code: "escalation.reopened", detail: "the patient wrote after the escalation was resolved")) }
        if plan.raised { ctx.reasons.append(Reason(code: "escalation.raised", detail: "a later message raised the escalation's priority")) }
        ctx.handoffPlan = plan
        guard let e = plan.escalation else { return }
        ctx.escalation = EscalationSummary(id: e.id, queue: e.queue, priority: e.priority, reason: e.reason)
    }

    func decided(_ ctx: IngestContext, tx: WriteTransaction) throws {
        guard let decision = ctx.decision, let summary = ctx.escalation else { return }
        // This step runs last, so the decision differs from the one `apply` planned with only by
        // the reasons `apply` added (reopened, raised), which change neither the escalation nor
        // its transitions; the webhook events carry them, so with a webhook the plan is made
        // again from the final decision. Nothing wrote escalations since `apply` read the latest one.
        let plan = !webhooks ? ctx.handoffPlan : escalator(ctx, presetID: summary.id, events: true)
            .plan(decision: decision, conversationID: ctx.message.conversationID, channel: ctx.message.channel,
                  existing: ctx.latestEscalation, now: ctx.now)
        guard let plan else { return }
        guard let e = plan.escalation else { return }
        // The handoff packet is assembled live when staff open the escalation (it always shows
        // the whole conversation); it is not re-encoded and rewritten here on every message.
        let now = RFC3339.format(ctx.now)
        let record = EscalationRecords.record(e, decisionID: decision.id, packetJSON: "{}", updatedAt: now)
        if plan.kind == .create { try tx.insertEscalation(record) } else { try tx.updateEscalation(record) }
        for t in plan.transitions {
            let created = plan.kind == .create && t.from == t.to
            try tx.insertTransition(EscalationRecords.transition(t, escalationID: e.id, created: created))
        }
        for event in plan.events { try Outbox.enqueue(event, in: tx) }
    }

    /// An escalator for this message: SLAs from the active rules, the escalation id fixed in
    /// advance so `apply` (which fills the response) and `decided` (which stores) agree, and
    /// webhook events built only where they are stored.
    private func escalator(_ ctx: IngestContext, presetID: String, events: Bool) -> Escalator {
        let newID = newID
        return Escalator(sla: sla.policy(for: ctx.ruleSet),
                         newID: { $0 == "esc" ? presetID : newID($0) }, emitsEvents: events)
    }

    /// The decision as it will be recorded: this step runs last, so nothing changes it after.
    static func provisional(_ ctx: IngestContext) -> Decision {
        let c = ctx.classification
        return Decision(id: ctx.decisionID, route: ctx.route, action: ctx.action, intent: c.intent, confidence: c.confidence,
                        complexity: c.complexity, sensitivity: c.sensitivity, entities: c.entities, reasons: ctx.reasons,
                        rules_version: c.rulesVersion, model: ctx.model, runner_up: c.runnerUp, queue: ctx.queue,
                        priority: ctx.priority)
    }

    static func latest(_ conversationID: String, _ tx: some StoreReading) throws -> EscalationSnapshot? {
        try tx.latestEscalation(conversationID: conversationID).map(EscalationRecords.snapshot)
    }
}

/// The SLA policy of the rule set in force, built once per rules version (building it filters
/// the whole threshold table, which is not worth doing for every escalated message).
final class SLACache: @unchecked Sendable {
    /// Guards `version` and `cached`.
    private let lock = NSLock()
    private var version = ""
    private var cached = SLAPolicy(minutes: [:])

    func policy(for ruleSet: RuleSet) -> SLAPolicy {
        lock.withLock {
            if version != ruleSet.version {
                cached = SLAPolicy(minutes: ruleSet.thresholds)
                version = ruleSet.version
            }
            return cached
        }
    }
}
