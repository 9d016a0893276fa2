import Foundation
import HTTPServer
import IntakeCore
import RuleEngine
import Store

/// The running application: configuration, store, rules, metrics and the use cases the
/// endpoints call. Built by `Daemon`; tests build it directly.
public final class App: Sendable {
    public let config: Config
    public let store: Store
    public let rules: RulesHolder
    public let metrics: Metrics
    public let auth: Authenticator
    public let log: Log
    let ingest: IngestService
    let voice: VoiceService
    /// Per-key request limits (`[server] rate_limit_per_s`), nil when off.
    let limiter: RateLimiter?
    /// The Twilio auth token, when `[voice] twilio_auth_token_file` is set.
    let twilioAuthToken: String?
    let clock: any Clock
    /// The model endpoint, when `[model]` is configured (prompts and client, reloaded with the rules).
    public let model: ModelRuntime?

    public init(config: Config, store: Store, rules: RulesHolder, auth: Authenticator,
                metrics: Metrics = Metrics(), log: Log = Log(), clock: any Clock = SystemClock(), model: ModelRuntime? = nil) {
        self.config = config; self.store = store; self.rules = rules; self.auth = auth
        self.metrics = metrics; self.log = log; self.clock = clock; self.model = model
        self.ingest = IngestService(store: store, rules: rules, metrics: metrics, timeZone: config.timeZone, clock: clock,
                                    steps: [BookingStep(timeZone: config.timeZone, webhooks: config.webhook != nil),
                                            HandoffStep(webhooks: config.webhook != nil)],  // HandoffStep stays last
                                    consultant: model.map { ModelConsultant(runtime: $0, metrics: metrics, log: log) })
        self.limiter = config.rateLimitPerSecond > 0
            ? RateLimiter(rate: config.rateLimitPerSecond, burst: Double(config.rateLimitBurst ?? Int(config.rateLimitPerSecond * 2))) : nil
        self.voice = VoiceService(config: config, ingest: ingest, rules: rules, store: store, log: log, clock: clock)
        self.twilioAuthToken = config.voice.twilioAuthTokenFile.flatMap {
            try? String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        metrics.gauge("intake_store_pending_writes") { [store] in Double(store.pendingWrites) }
        metrics.gauge("intake_calls_active") { [voice] in Double(voice.desk.activeCalls) }
    }

    /// The HTTP handler serving this app.
    public func handler() -> APIHandler {
        APIHandler(endpoints: Endpoints(app: self).all, auth: auth, limiter: limiter)
    }

    func postMessage(_ ctx: RequestContext, _ r: HTTPResponder) {
        let message: InboundMessage
        do {
            message = try MessageRequest.parse(ctx.request.body, limits: MessageLimits(), now: clock.now(),
                                               newConversationID: { IDs.make("conv") })
        } catch {
            return r.fail(error)
        }
        ingest.ingest(message) { [log] result in
            switch result {
            case .success(.recorded(let body, let d)):
                log(.info, "decision", [("decision_id", d.id), ("conversation_id", message.conversationID),
                                        ("route", d.route.rawValue), ("action", d.action.rawValue), ("intent", d.intent.rawValue)])
                r.ok(body)
            case .success(.replayed(let body)): r.ok(body)
            case .failure(let error):
                if error.kind == .unavailable { log(.error, "store_write_failed", [("conversation_id", message.conversationID)]) }
                r.fail(error)
            }
        }
    }

    func listDecisions(_ ctx: RequestContext, _ r: HTTPResponder) {
        let q = ctx.query
        var limit = 100
        if let text = q["limit"] {
            guard let n = Int(text), (1...1000).contains(n) else {
                return r.fail(.invalid("'limit' must be a whole number from 1 to 1000", field: "limit"))
            }
            limit = n
        }
        var since: String?
        if let text = q["since"] {
            guard let date = RFC3339.parse(text) else { return r.fail(.invalid("'since' must be an RFC 3339 timestamp", field: "since")) }
            since = RFC3339.format(date)
        }
        do {
            let rows = try store.read { try $0.decisions(conversationID: q["conversation_id"], since: since, limit: limit) }
            r.ok(Array("{\"decisions\":[".utf8) + Array(rows.map(Self.decisionJSON).joined(separator: ",").utf8) + Array("]}".utf8))
        } catch {
            r.fail(.unavailable)
        }
    }

    /// A stored decision with its conversation, message and time, as the audit API shows it.
    static func decisionJSON(_ row: DecisionRecord) -> String {
        let meta = "{\"conversation_id\":\(quote(row.conversationID)),\"message_id\":\(quote(row.messageID)),\"created_at\":\(quote(row.createdAt)),\"decision\":"
        return meta + row.json + "}"
    }

    static func quote(_ s: String) -> String {
        String(decoding: JSON.bytes([s]).dropFirst().dropLast(), as: UTF8.self)
    }

    func getConversation(_ ctx: RequestContext, _ r: HTTPResponder) {
        guard let id = ctx.params["id"] else { return r.fail(.notFound) }
        do {
            let found = try store.read { tx -> (ConversationRecord, [MessageRecord], [DecisionRecord])? in
                guard let c = try tx.conversation(id: id) else { return nil }
                return (c, try tx.messages(conversationID: id), try tx.decisions(conversationID: id, since: nil, limit: 1000))
            }
            guard let (c, messages, decisions) = found else { return r.fail(.notFound) }
            let transcript = messages.map { m -> [String: Any] in
                ["message_id": m.messageID, "channel": m.channel, "text": m.text, "sent_at": m.sentAt,
                 "received_at": m.receivedAt, "decision_id": m.decisionID]
            }
            let head: [String: Any] = ["id": c.id, "channel": c.channel, "status": c.status,
                                       "created_at": c.createdAt, "updated_at": c.updatedAt, "messages": transcript]
            var body = JSON.bytes(head)
            body.removeLast()  // splice the stored decision JSON in verbatim
            body += Array(",\"decisions\":[".utf8) + Array(decisions.map(\.json).joined(separator: ",").utf8) + Array("]}".utf8)
            r.ok(body)
        } catch {
            r.fail(.unavailable)
        }
    }

    func reload(_ r: HTTPResponder) {
        switch reloadRules(trigger: "api") {
        case .success(let rules):
            r.ok(JSON.encode(ReloadResponse(rules_version: rules.version, rules: rules.files,
                                            prompts_version: model?.snapshot.library.version)))
        case .failure(let failure):
            let details = failure.items.map { ErrorDetail(file: $0.file, line: $0.line, column: $0.column, message: $0.message) }
            r.fail(APIError(.invalid, code: "rules_invalid", "the rules or prompts have \(failure.items.count) error(s); the old ones stay in force",
                            details: details))
        }
    }

    /// Reloads the rules, logging the outcome; shared by SIGHUP and the admin endpoint.
    public func reloadRules(trigger: String) -> Result<RuleSet, RuleLoadFailure> {
        // Prompts (and the model client) are staged first and put in force only with the rules.
        let staged = model.map { $0.stage() }
        var result: Result<RuleSet, RuleLoadFailure>
        if case .failure(let f) = staged { result = .failure(f) } else { result = rules.reload() }
        if case .success = result, let model, case .success(let snapshot) = staged { model.commit(snapshot) }
        switch result {
        case .success(let r):
            metrics.increment("intake_rule_reloads_total{result=\"ok\"}")
            log(.info, "rules_reloaded", [("trigger", trigger), ("rules_version", r.version)])
        case .failure(let f):
            metrics.increment("intake_rule_reloads_total{result=\"error\"}")
            log(.error, "rules_reload_failed", [("trigger", trigger), ("errors", String(f.items.count))])
            for line in f.lines { log(.error, "rules_diagnostic", [("at", line)]) }
        }
        return result
    }
}

/// The answer of `POST /v1/admin/reload`.
struct ReloadResponse: Encodable {
    var rules_version: String
    var rules: [RuleFileSummary]
    /// Extension: the prompt library's version, when a model endpoint is configured.
    var prompts_version: String?
}
