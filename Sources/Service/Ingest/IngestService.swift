import Foundation
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

    public init(store: Store, rules: RulesHolder, metrics: Metrics, timeZone: TimeZone, clock: any Clock = SystemClock()) {
        self.store = store; self.rules = rules; self.metrics = metrics; self.timeZone = timeZone; self.clock = clock
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
        let replies = ReplyBook(lookup: { key, language in ruleSet.template(key: key, language: language) })
        let decisionID = IDs.make("dec")
        let receivedAt = clock.now()
        store.write({ tx -> Result<Outcome, APIError> in
            try Self.record(message, classification, decisionID: decisionID, receivedAt: receivedAt,
                            policy: ActionPolicy(replies: replies), in: tx)
        }, completion: { [metrics] result in
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

    /// The write job: idempotency, dialogue status, decision, message, audit chain.
    static func record(_ m: InboundMessage, _ c: Classification, decisionID: String, receivedAt: Date,
                       policy: ActionPolicy, in tx: WriteTransaction) throws -> Result<Outcome, APIError> {
        let textHash = Digest.sha256Hex(m.text)
        if let seen = try tx.message(conversationID: m.conversationID, messageID: m.messageID) {
            guard seen.textSHA256 == textHash else {
                return .failure(APIError(.conflict, code: "conflict",
                                         "message_id was already used in this conversation with different text",
                                         field: "message_id"))
            }
            return .success(.replayed(body: Array(seen.responseJSON.utf8)))
        }
        let existing = try tx.conversation(id: m.conversationID)
        let status = existing.flatMap { ConversationStatus(rawValue: $0.status) } ?? .open
        let language = m.patient?.language ?? c.entities.language ?? "en"
        let outcome = policy.decide(c, status: status, language: language)
        let decision = Decision(
            id: decisionID, route: outcome.route ?? c.route, action: outcome.action, intent: c.intent, confidence: c.confidence,
            complexity: c.complexity, sensitivity: c.sensitivity, entities: c.entities, reasons: c.reasons + outcome.reasons,
            rules_version: c.rulesVersion, runner_up: c.runnerUp, queue: c.queue, priority: c.priority)
        let response = MessageResponse(conversation_id: m.conversationID, message_id: m.messageID, decision: decision,
                                       reply: outcome.reply, slots: [], booking: nil, escalation: nil)
        let body = JSON.encode(response)
        let now = RFC3339.format(receivedAt)
        try tx.upsertConversation(ConversationRecord(
            id: m.conversationID, channel: m.channel.rawValue, createdAt: existing?.createdAt ?? now, updatedAt: now,
            stateJSON: existing?.stateJSON ?? "{}", status: outcome.status.rawValue))
        try tx.insertMessage(MessageRecord(
            conversationID: m.conversationID, messageID: m.messageID, channel: m.channel.rawValue, text: m.text,
            textSHA256: textHash, sentAt: RFC3339.format(m.sentAt), receivedAt: now, decisionID: decisionID,
            responseJSON: String(decoding: body, as: UTF8.self)))
        try tx.insertDecision(DecisionRecord(
            id: decisionID, conversationID: m.conversationID, messageID: m.messageID, createdAt: now,
            route: decision.route.rawValue, action: decision.action.rawValue, intent: decision.intent.rawValue,
            rulesVersion: decision.rules_version, json: JSON.string(decision)))
        return .success(.recorded(body: body, decision: decision))
    }
}
