import Foundation
import IntakeCore

/// What to do with the escalation side of one decided message. The Service layer stores the
/// `escalation`, the `transitions` and the `events` (in the outbox) in the decision's transaction.
public struct HandoffPlan: Sendable, Equatable {
    /// The main step.
    public enum Kind: String, Sendable, Equatable {
        /// No escalation involved: the system handles the message.
        case none
        /// A new escalation is opened.
        case create
        /// The message joins the conversation's existing escalation.
        case attach
    }

    public var kind: Kind
    /// The escalation as it should be stored after this message (nil for `.none`).
    public var escalation: EscalationSnapshot?
    /// True when a resolved escalation went back to `open`.
    public var reopened: Bool
    /// True when the priority went up (an emergency in a later message raises to urgent).
    public var raised: Bool
    /// True when the patient should get `Escalator.acknowledgement` instead of the system
    /// acting on its own (attached, and not an emergency, which gets the safety reply).
    public var acknowledge: Bool
    /// State changes to record, oldest first.
    public var transitions: [Transition]
    /// Webhook events to enqueue.
    public var events: [WebhookEvent]

    /// True when the system must not act on its own (book, cancel, offer) on this message.
    public var suppressesAutomation: Bool { kind == .attach }

    public init(kind: Kind, escalation: EscalationSnapshot? = nil, reopened: Bool = false,
                raised: Bool = false, acknowledge: Bool = false, transitions: [Transition] = [],
                events: [WebhookEvent] = []) {
        self.kind = kind; self.escalation = escalation; self.reopened = reopened; self.raised = raised
        self.acknowledge = acknowledge; self.transitions = transitions; self.events = events
    }
}

/// Decides, for each decided message, whether to open an escalation, attach to the
/// conversation's existing one (reopening or raising it when needed), and which webhooks to send.
/// Pure: identifiers come from the injected `newID`, time from `now`.
public struct Escalator: Sendable {
    /// What a patient is told when a message joins an escalation.
    public static let acknowledgement = "A member of our team has your message."

    public var sla: SLAPolicy
    /// Queue for `human` decisions that name none.
    public var defaultQueue: String
    /// Queue for `emergency` decisions that name none.
    public var emergencyQueue: String
    /// Makes identifiers from a prefix (`esc`, `evt`).
    public var newID: @Sendable (String) -> String
    /// Whether plans carry webhook events (building them is skipped when nothing would send them).
    public var emitsEvents: Bool

    public init(sla: SLAPolicy, defaultQueue: String = "front_desk", emergencyQueue: String = "triage",
                newID: @escaping @Sendable (String) -> String = IDs.make, emitsEvents: Bool = true) {
        self.sla = sla; self.defaultQueue = defaultQueue; self.emergencyQueue = emergencyQueue
        self.newID = newID; self.emitsEvents = emitsEvents
    }

    /// Plans the escalation side of `decision` in `conversationID`, given the conversation's
    /// latest escalation (`existing`, any status) and the time.
    public func plan(decision: Decision, conversationID: String, channel: Channel,
                     existing: EscalationSnapshot?, now: Date) -> HandoffPlan {
        if let existing {
            return attach(decision: decision, channel: channel, to: existing, now: now)
        }
        guard decision.route != .automate else { return HandoffPlan(kind: .none) }
        return create(decision: decision, conversationID: conversationID, channel: channel, now: now)
    }

    private func create(decision: Decision, conversationID: String, channel: Channel, now: Date) -> HandoffPlan {
        let emergency = decision.route == .emergency
        let queue = decision.queue ?? (emergency ? emergencyQueue : defaultQueue)
        let priority: Priority = emergency ? .urgent : (decision.priority ?? .normal)
        let escalation = EscalationSnapshot(
            id: newID("esc"), conversationID: conversationID, queue: queue, priority: priority,
            status: .open, reason: Escalator.reason(of: decision), createdAt: now,
            slaDueAt: sla.dueDate(queue: queue, priority: priority, from: now))
        let created = Transition(from: .open, to: .open, actor: EscalationState.systemActor, at: now,
                                 note: "created from decision \(decision.id)")
        var events: [WebhookEvent] = []
        if emitsEvents {
            events.append(event(.escalationCreated, escalation, decision, channel, change: "created", now))
            if emergency { events.append(emergencyEvent(escalation, decision, channel, now)) }
        }
        return HandoffPlan(kind: .create, escalation: escalation, transitions: [created], events: events)
    }

    private func attach(decision: Decision, channel: Channel, to existing: EscalationSnapshot, now: Date) -> HandoffPlan {
        var escalation = existing
        var state = existing.state
        var transitions: [Transition] = []
        var changes: [String] = []
        if state.status == .resolved, let t = try? state.reopen(at: now) {
            transitions.append(t); changes.append("reopened")
            // A reopened item is new work: its deadline restarts from now.
            escalation.slaDueAt = sla.dueDate(queue: existing.queue, priority: state.priority, from: now)
        }
        let emergency = decision.route == .emergency
        let wanted: Priority? = emergency ? .urgent : (decision.route == .human ? decision.priority : nil)
        if let wanted, let t = state.raise(to: wanted, at: now, note: "decision \(decision.id)") {
            transitions.append(t); changes.append("raised")
            let due = sla.dueDate(queue: existing.queue, priority: wanted, from: now)
            escalation.slaDueAt = min(escalation.slaDueAt, due)
        }
        escalation.apply(state)
        var events: [WebhookEvent] = []
        if emitsEvents, !changes.isEmpty {
            events.append(event(.escalationUpdated, escalation, decision, channel,
                                change: changes.joined(separator: ","), now))
        }
        if emitsEvents, emergency { events.append(emergencyEvent(escalation, decision, channel, now)) }
        return HandoffPlan(kind: .attach, escalation: escalation, reopened: changes.contains("reopened"),
                           raised: changes.contains("raised"), acknowledge: !emergency,
                           transitions: transitions, events: events)
    }

    /// The stored reason: the decision's distinct reason codes in order (two rules of one intent
    /// give one code), or its intent when it has none.
    static func reason(of decision: Decision) -> String {
        var seen = Set<String>()
        let codes = decision.reasons.map(\.code).filter { seen.insert($0).inserted }
        return codes.isEmpty ? "intent.\(decision.intent.rawValue)" : codes.joined(separator: ",")
    }

    private func event(_ type: WebhookEventType, _ e: EscalationSnapshot, _ d: Decision,
                       _ channel: Channel, change: String, _ now: Date) -> WebhookEvent {
        WebhookEvent(id: newID("evt"), type: type, createdAt: now, data: [
            "escalation": Escalator.json(e),
            "conversation_id": .string(e.conversationID),
            "decision_id": .string(d.id),
            "channel": .string(channel.rawValue),
            "change": .string(change),
        ])
    }

    private func emergencyEvent(_ e: EscalationSnapshot, _ d: Decision, _ channel: Channel, _ now: Date) -> WebhookEvent {
        WebhookEvent(id: newID("evt"), type: .emergencyDetected, createdAt: now, data: [
            "escalation_id": .string(e.id),
            "conversation_id": .string(e.conversationID),
            "decision_id": .string(d.id),
            "channel": .string(channel.rawValue),
            "intent": .string(d.intent.rawValue),
            "queue": .string(e.queue),
            "reasons": .array(d.reasons.map { .string($0.code) }),
        ])
    }

    /// The escalation as webhook data: identifiers and codes only, no patient text.
    public static func json(_ e: EscalationSnapshot) -> JSONValue {
        .object([
            "id": .string(e.id), "queue": .string(e.queue), "priority": .string(e.priority.rawValue),
            "status": .string(e.status.rawValue), "reason": .string(e.reason),
            "created_at": .string(RFC3339.format(e.createdAt)),
            "sla_due_at": .string(RFC3339.format(e.slaDueAt)),
            "claimed_by": .optional(e.claimedBy),
        ])
    }
}
