import Foundation
import Handoff
import IntakeCore
import RuleEngine
import Store

/// The use case behind `POST /v1/messages`: classify, decide, record durably, answer.
/// Classification is pure and runs on the calling thread; everything that depends on stored
/// state runs inside one write job, so idempotency checks and the decision are atomic.
public final class IngestService: Sendable {
    let store: Store
    let rules: RulesHolder
    let metrics: Metrics
    let timeZone: TimeZone
    let clock: any Clock
    /// Steps of the write job after the action policy, in order (booking dialogue, escalation).
    let steps: [any IngestStep]
    /// Consulted before the write job for messages the rules are unsure of (the model endpoint).
    let consultant: (any IngestConsultant)?

    public init(store: Store, rules: RulesHolder, metrics: Metrics, timeZone: TimeZone, clock: any Clock = SystemClock(),
                steps: [any IngestStep] = [], consultant: (any IngestConsultant)? = nil) {
        self.store = store; self.rules = rules; self.metrics = metrics; self.timeZone = timeZone; self.clock = clock
        self.steps = steps; self.consultant = consultant
    }

    /// What a finished ingest produced.
    public enum Outcome: Sendable {
        /// A new decision was recorded.
        case recorded(body: [UInt8], decision: Decision)
        /// The same message was seen before: its stored answer.
        case replayed(body: [UInt8])
    }

    /// Decides `message` and records it; `completion` runs after the commit (or failure).
    /// `classification` replaces the rules' verdict where the channel already decided (a caller
    /// pressing 0 to reach a person); it is recorded with its reasons like any other.
    public func ingest(_ message: InboundMessage, classification forced: Classification? = nil,
                       completion: @escaping @Sendable (Result<Outcome, APIError>) -> Void) {
        let ruleSet = rules.snapshot
        let classification = forced ?? ruleSet.classify(message.text, sentAt: message.sentAt, timeZone: timeZone)
        guard let consultant, forced == nil else {
            return write(message, classification, model: ModelUse(), ruleSet: ruleSet, completion: completion)
        }
        consultant.review(message, classification, ruleSet: ruleSet) { [self] reviewed, model in
            write(message, reviewed, model: model, ruleSet: ruleSet, completion: completion)
        }
    }

    private func write(_ message: InboundMessage, _ classification: Classification, model: ModelUse, ruleSet: RuleSet,
                       completion: @escaping @Sendable (Result<Outcome, APIError>) -> Void) {
        let replies = ReplyBook(lookup: { key, language in ruleSet.template(key: key, language: language) })
        let decisionID = IDs.make("dec")
        let receivedAt = clock.now()
        let steps = steps
        // The parts that need no stored state are computed here, off the store's single writer thread.
        let text = TextStamps(textHash: Digest.sha256Hex(message.text), sentAt: RFC3339.format(message.sentAt),
                              receivedAt: RFC3339.format(receivedAt))
        store.write({ tx -> Result<Outcome, APIError> in
            try Self.record(message, classification, model: model, decisionID: decisionID, receivedAt: receivedAt,
                            stamps: text, policy: ActionPolicy(replies: replies), ruleSet: ruleSet, steps: steps, in: tx)
        }, completion: { [metrics] result in
            // On the store's completion queue, after the commit: metrics, then the answer.
            switch result {
            case .success(.success(let outcome)):
                if case .recorded(_, let d) = outcome {
                    metrics.observeDecision(route: d.route.rawValue, action: d.action.rawValue, intent: d.intent.rawValue)
                }
                completion(.success(outcome))
            case .success(.failure(let error)): completion(.failure(error))
            case .failure: completion(.failure(.unavailable))
            }
        })
    }

    /// The write job: idempotency, the action policy, the steps (booking dialogue, escalation),
    /// then conversation, message and decision (with its audit chain link), all in one savepoint.
    static func record(_ m: InboundMessage, _ c: Classification, model: ModelUse, decisionID: String, receivedAt: Date,
                       stamps: TextStamps,
                       policy: ActionPolicy, ruleSet: RuleSet, steps: [any IngestStep],
                       in tx: WriteTransaction) throws -> Result<Outcome, APIError> {
        let textHash = stamps.textHash
        if let seen = try tx.message(conversationID: m.conversationID, messageID: m.messageID) {
            guard seen.textSHA256 == textHash else {
                return .failure(APIError(.conflict, code: "conflict",
                                         "message_id was already used in this conversation with different text",
                                         field: "message_id"))
            }
            return .success(.replayed(body: try Self.storedAnswer(seen, in: tx)))
        }
        let existing = try tx.conversation(id: m.conversationID)
        let status = existing.flatMap { ConversationStatus(rawValue: $0.status) } ?? .open
        let language = m.patient?.language ?? c.entities.language ?? "en"
        let outcome = policy.decide(c, status: status, language: language)
        var ctx = IngestContext(
            message: m, classification: c, existing: existing, decisionID: decisionID, now: receivedAt, language: language,
            ruleSet: ruleSet, replies: policy.replies, route: outcome.route ?? c.route, action: outcome.action,
            reply: outcome.reply, status: outcome.status, reasons: c.reasons + outcome.reasons,
            queue: c.queue, priority: c.priority, model: model, stateJSON: existing?.stateJSON ?? "{}")
        for step in steps { try step.apply(&ctx, tx: tx) }
        let decision = Decision(
            id: decisionID, route: ctx.route, action: ctx.action, intent: c.intent, confidence: c.confidence,
            complexity: c.complexity, sensitivity: c.sensitivity, entities: c.entities, reasons: ctx.reasons,
            rules_version: c.rulesVersion, model: ctx.model, runner_up: c.runnerUp, queue: ctx.queue, priority: ctx.priority)
        ctx.decision = decision
        for step in steps { try step.decided(ctx, tx: tx) }
        // The decision is encoded once: stored as the audit row's JSON and spliced into the answer.
        let decisionJSON = decision.jsonBytes()
        let rest = MessageResponse.rest(reply: ctx.reply, slots: ctx.slots, booking: ctx.booking, escalation: ctx.escalation)
        let body = MessageResponse.bytes(conversationID: m.conversationID, messageID: m.messageID, decisionJSON: decisionJSON, rest: rest)
        // The message row keeps the answer without the decision, which the decision row holds;
        // `storedAnswer` splices it back byte for byte.
        let stored = MessageResponse.bytes(conversationID: m.conversationID, messageID: m.messageID,
                                           decisionJSON: Self.decisionPlaceholder, rest: rest)
        let now = stamps.receivedAt
        try tx.upsertConversation(ConversationRecord(
            id: m.conversationID, channel: m.channel.rawValue, createdAt: existing?.createdAt ?? now, updatedAt: now,
            stateJSON: ctx.stateJSON, status: ctx.status.rawValue))
        try tx.insertMessage(MessageRecord(
            conversationID: m.conversationID, messageID: m.messageID, channel: m.channel.rawValue, text: m.text,
            textSHA256: textHash, sentAt: stamps.sentAt, receivedAt: now, decisionID: decisionID,
            responseJSON: String(decoding: stored, as: UTF8.self)))
        try tx.insertDecision(DecisionRecord(
            id: decisionID, conversationID: m.conversationID, messageID: m.messageID, createdAt: now,
            route: decision.route.rawValue, action: decision.action.rawValue, intent: decision.intent.rawValue,
            rulesVersion: decision.rules_version, json: String(decoding: decisionJSON, as: UTF8.self)))
        return .success(.recorded(body: body, decision: decision))
    }
}

/// A message's text hash and its times as stored, made before the write job.
struct TextStamps: Sendable {
    var textHash: String
    var sentAt: String
    var receivedAt: String
}

extension IngestService {
    static let decisionPlaceholder = Array("null".utf8)

    /// The decision `text` gets as the first message of a new conversation, without a store
    /// (`intakectl classify`): the rules' classification and the action policy. The steps that
    /// need stored state do not run, so a booking request shows the policy's `offer_slots`
    /// without searching slots. Its id is `offline`: nothing is recorded.
    public static func offlineDecision(_ text: String, ruleSet: RuleSet, sentAt: Date, timeZone: TimeZone) -> Decision {
        let c = ruleSet.classify(text, sentAt: sentAt, timeZone: timeZone)
        let policy = ActionPolicy(replies: ReplyBook(lookup: { key, language in ruleSet.template(key: key, language: language) }))
        let outcome = policy.decide(c, status: .open, language: c.entities.language ?? "en")
        return Decision(id: "offline", route: outcome.route ?? c.route, action: outcome.action, intent: c.intent,
                        confidence: c.confidence, complexity: c.complexity, sensitivity: c.sensitivity, entities: c.entities,
                        reasons: c.reasons + outcome.reasons, rules_version: c.rulesVersion, runner_up: c.runnerUp,
                        queue: c.queue, priority: c.priority)
    }

    /// The answer given to a message, rebuilt from its stored form and its decision row.
    static func storedAnswer(_ m: MessageRecord, in tx: some StoreReading) throws -> [UInt8] {
        let text = m.responseJSON
        let marker = #","decision":null,"#
        guard let id = m.decisionID, let range = text.range(of: marker), let d = try tx.decision(id: id) else {
            return Array(text.utf8)  // stored before decisions were kept apart, or a voice answer
        }
        return Array(text[..<range.lowerBound].utf8) + Array(#","decision":"#.utf8) + Array(d.json.utf8)
            + [UInt8(ascii: ",")] + Array(text[range.upperBound...].utf8)
    }
}

/// What the write job knows and has decided so far about one message. Steps read and change it.
public struct IngestContext: Sendable {
    public let message: InboundMessage
    public let classification: Classification
    /// The conversation before this message (nil for a new one).
    public let existing: ConversationRecord?
    public let decisionID: String
    public let now: Date
    public let language: String
    public let ruleSet: RuleSet
    let replies: ReplyBook

    // What the decision will say; steps may change these.
    public var route: Route
    public var action: Action
    public var reply: String
    public var status: ConversationStatus
    public var reasons: [Reason]
    public var queue: String?
    public var priority: Priority?
    public var model: ModelUse
    /// The conversation's dialogue state (JSON object) to store.
    public var stateJSON: String
    public var slots: [SlotOffer] = []
    public var booking: BookingSummary?
    public var escalation: EscalationSummary?
    /// Set after every step's `apply`: the decision as it will be recorded.
    public var decision: Decision?
    /// The conversation's latest escalation (any status) as the handoff step read it in
    /// `apply`, so `decided` plans from it without reading it again.
    public var latestEscalation: EscalationSnapshot?
    /// The escalation plan the handoff step made in `apply` (without webhook events).
    public var handoffPlan: HandoffPlan?

    /// Reply wording by key, with `{name}` values filled.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String { replies.text(key, language, values) }
}

/// A step of the ingest write job, run inside the message's transaction: `apply` may change
/// the action, reply, route and state; `decided` sees the final decision (to record an
/// escalation or queue webhooks in the same transaction).
public protocol IngestStep: Sendable {
    func apply(_ ctx: inout IngestContext, tx: WriteTransaction) throws
    func decided(_ ctx: IngestContext, tx: WriteTransaction) throws
}

extension IngestStep {
    public func decided(_ ctx: IngestContext, tx: WriteTransaction) throws {}
}

/// Reviews the rules' classification before the write job (the model endpoint). Must call
/// `completion` exactly once, from any thread, within its own deadline.
public protocol IngestConsultant: Sendable {
    func review(_ message: InboundMessage, _ classification: Classification, ruleSet: RuleSet,
                completion: @escaping @Sendable (Classification, ModelUse) -> Void)
}
