import Foundation
import IntakeCore
import RuleEngine
import Store
import Voice

/// The use case behind the voice endpoints: each call event goes through the call's session
/// state machine; final segments are decided like chat messages in the call's conversation,
/// partials are scanned for emergencies, keypad and repeated unsure turns hand the call over,
/// and a hangup records the call's outcome.
final class VoiceService: Sendable {
    let desk: CallDesk
    let ingest: IngestService
    let rules: RulesHolder
    let store: Store
    let config: Config
    let log: Log
    let clock: any Clock

    init(config: Config, ingest: IngestService, rules: RulesHolder, store: Store, log: Log, clock: any Clock) {
        self.config = config; self.ingest = ingest; self.rules = rules; self.store = store; self.log = log; self.clock = clock
        self.desk = CallDesk(maxCalls: config.voice.maxConcurrentCalls)
    }

    var limits: CallLimits {
        var l = CallLimits()
        l.maxLineBytes = config.voice.maxLineBytes
        l.maxEventsPerCall = config.voice.maxEventsPerCall
        l.maxCallSeconds = config.voice.maxCallSeconds
        return l
    }

    func policy(_ ruleSet: RuleSet) -> CallSession.Policy {
        CallSession.Policy(asrMinConfidence: ruleSet.threshold("asr.min_confidence") ?? 0.5,
                           maxLowConfidenceTurns: Int(ruleSet.threshold("asr.max_unsure_turns") ?? 2),
                           transferDigits: config.voice.transferDigits, limits: limits)
    }

    /// The desk's entry for a call; a call the desk does not know (the daemon restarted, or the
    /// call went idle and was forgotten) is taken up from the store first.
    func entry(_ callID: String) -> CallDesk.Entry? {
        desk.entry(callID, now: clock.now()) { resume(callID, into: $0) }
    }

    /// What the store kept of a call: the outcome recorded at its hand-over or hangup (status,
    /// counts, transfer) and the highest `seg-N` message decided, so sequence numbers go on
    /// from there (a Twilio call numbers its turns from it) and gaps are still noticed. A call
    /// the store has never seen leaves `entry` as it is.
    func resume(_ callID: String, into entry: CallDesk.Entry) {
        guard let (conversation, messages) = try? store.read({ tx in
            (try tx.conversation(id: callID), try tx.messages(conversationID: callID))
        }), let conversation else { return }
        let seqs = messages.compactMap { m -> Int? in
            guard m.messageID.hasPrefix("seg-") else { return nil }
            return Int(m.messageID.dropFirst(4).prefix { $0.isNumber })
        }
        let state = try? JSONSerialization.jsonObject(with: Data(conversation.stateJSON.utf8)) as? [String: Any]
        let call = state?["call"] as? [String: Any]
        let status = (call?["status"] as? String).flatMap(CallSession.Status.init(rawValue:)) ?? .active
        let startedAt = RFC3339.parse(conversation.createdAt) ?? clock.now()
        entry.session = CallSession(resuming: status, startedAt: startedAt, highestSeq: seqs.max() ?? 0)
        entry.decisions = call?["decisions"] as? Int ?? Set(seqs).count
        entry.events = call?["events"] as? Int ?? entry.decisions
        entry.errors = call?["errors"] as? Int ?? 0
        if let t = call?["transfer"] as? [String: Any], let queue = t["queue"] as? String {
            entry.transfer = CallTransfer(queue: queue, escalationID: t["escalation_id"] as? String,
                                          reason: t["reason"] as? String ?? TransferReason.escalated.rawValue)
        }
    }

    /// Processes one event of `callID`; `completion` gets the answer once it is final (and, for
    /// decisions, committed). Listeners on the call's event stream get the same answer.
    func submit(callID: String, event: CallEvent, completion: @escaping @Sendable (CallAnswer) -> Void) {
        let now = clock.now()
        guard let entry = entry(callID) else {
            return completion(.error(APIError(.rateLimited(retryAfter: 5), code: "too_many_calls",
                                              "the daemon is handling its maximum of \(desk.maxCalls) calls"), seq: event.seq))
        }
        desk.enqueue(entry) { [self] done in
            process(callID, entry, event, now: now) { [desk] answer in
                desk.broadcast(entry, answer)
                completion(answer)
                done()
            }
        }
    }

    /// Answers a malformed line of a transcript stream on the call's event stream.
    func reportMalformed(callID: String, line: Int, error: CallEventError) {
        guard let entry = entry(callID) else { return }
        var answer = CallAnswer.error(APIError(.malformed, code: error.code, error.message, field: error.field), seq: nil)
        answer.body = Self.splice(answer.body, ["line": line])
        desk.withEntry(entry) { $0.errors += 1 }
        desk.broadcast(entry, answer)
    }

    private func process(_ callID: String, _ entry: CallDesk.Entry, _ event: CallEvent, now: Date,
                         finish: @escaping @Sendable (CallAnswer) -> Void) {
        let ruleSet = rules.snapshot
        let policy = policy(ruleSet)
        let (step, language) = desk.withEntry(entry) { e -> (CallStep, String) in
            e.lastActivity = now
            e.events += 1
            return (e.session.receive(event, now: now, policy: policy), e.language)
        }
        let replies = ReplyBook(lookup: { key, lang in ruleSet.template(key: key, language: lang) })
        let seq = event.seq
        switch step {
        case .duplicate:
            if let previous = desk.withEntry(entry, { $0.answers[seq] }) { return finish(previous) }
            finish(listen(callID, seq, language))
        case .callOver(let status):
            finish(.error(APIError(.conflict, code: "call_over",
                                   status == .ended ? "this call has ended" : "this call was handed to a person"), seq: seq))
        case .rejected(let error):
            desk.withEntry(entry) { $0.errors += 1 }
            let kind: APIError.Kind = error.code == "limit" ? .conflict : .invalid
            finish(.error(APIError(kind, code: error.code, error.message, field: error.field), seq: seq))
        case .ignoredDigits:
            finish(listen(callID, seq, language))
        case .scanPartial(let text):
            // A partial is provisional: only an emergency is acted on before the caller finishes.
            let c = ruleSet.classify(text, sentAt: event.at ?? now, timeZone: config.timeZone)
            guard c.route == .emergency else { return finish(listen(callID, seq, language)) }
            decide(callID, entry, seq: seq, messageID: "seg-\(seq)-partial", text: text, at: event.at ?? now,
                   forced: c, transferReason: .emergency, finish: finish)
        case .decide(let text, let gap):
            if let gap { log(.warning, "call_sequence_gap", [("call_id", callID), ("missing", "\(gap.lowerBound)-\(gap.upperBound)")]) }
            decide(callID, entry, seq: seq, messageID: "seg-\(seq)", text: text, at: event.at ?? now,
                   forced: nil, transferReason: .escalated, finish: finish)
        case .askRepeat:
            let say = replies.text("reply.repeat", language)
            let answer = voiceAnswer(callID, seq, action: "clarify", say: say, language: language)
            desk.withEntry(entry) { $0.answers[seq] = answer }
            finish(answer)
        case .transfer(let reason):
            let text = event.kind == .dtmf ? "[keypad \(event.digits ?? "")]" : (event.text ?? "")
            let detail = reason == .keypad ? "the caller pressed \(event.digits ?? "") to reach a person"
                : "the speech recognizer was unsure \(policy.maxLowConfidenceTurns) turns in a row"
            let forced = Classification(
                intent: .human_request, confidence: 1, route: .human, queue: config.voice.transferQueue, priority: .normal,
                reasons: [Reason(code: "voice.transfer.\(reason.rawValue)", detail: detail)], rulesVersion: ruleSet.version)
            decide(callID, entry, seq: seq, messageID: "seg-\(seq)", text: text.isEmpty ? "[no speech]" : text,
                   at: event.at ?? now, forced: forced, transferReason: reason, finish: finish)
        case .hangup:
            recordHangup(callID, entry, now: now) { [self] ok in
                var answer = voiceAnswer(callID, seq, action: "hangup", say: "", language: language)
                answer.ended = true
                if !ok { answer = .error(.unavailable, seq: seq); answer.ended = true }
                finish(answer)
            }
        }
    }

    private func decide(_ callID: String, _ entry: CallDesk.Entry, seq: Int, messageID: String, text: String, at: Date,
                        forced: Classification?, transferReason: TransferReason,
                        finish: @escaping @Sendable (CallAnswer) -> Void) {
        let message = InboundMessage(conversationID: callID, messageID: messageID, channel: .voice, text: text, sentAt: at)
        ingest.ingest(message, classification: forced) { [self] result in
            let body: [UInt8]
            switch result {
            case .success(.recorded(let b, _)), .success(.replayed(let b)): body = b
            case .failure(let error): return finish(.error(error, seq: seq))
            }
            let facts = Self.facts(of: body)
            var transfer: CallTransfer?
            if facts.route == "human" || facts.route == "emergency" {
                transfer = CallTransfer(queue: facts.queue ?? config.voice.transferQueue, escalationID: facts.escalationID,
                                        reason: facts.route == "emergency" ? TransferReason.emergency.rawValue : transferReason.rawValue)
            }
            let say = Speech.speakable(facts.reply)
            var extra: [String: Any] = ["seq": seq, "action": facts.action, "say": say]
            extra["transfer"] = transfer.map { t -> [String: Any] in
                ["queue": t.queue, "escalation_id": t.escalationID as Any? ?? NSNull(), "reason": t.reason]
            } ?? NSNull()
            let answer = CallAnswer(status: 200, body: Self.splice(body, extra), say: say, action: facts.action,
                                    transfer: transfer, ended: transfer != nil, language: facts.language ?? "en")
            desk.withEntry(entry) { e in
                e.answers[seq] = answer
                e.decisions += 1
                if let lang = facts.language { e.language = lang }
                if let transfer { e.transfer = transfer; e.session.transferred() }
            }
            if transfer != nil { recordOutcome(callID, entry) }
            finish(answer)
        }
    }

    /// The answer to a partial or an event that needs nothing: keep listening.
    private func listen(_ callID: String, _ seq: Int, _ language: String) -> CallAnswer {
        voiceAnswer(callID, seq, action: "listen", say: "", language: language)
    }

    private func voiceAnswer(_ callID: String, _ seq: Int, action: String, say: String, language: String) -> CallAnswer {
        let object: [String: Any] = [
            "conversation_id": callID, "message_id": NSNull(), "seq": seq, "action": action, "decision": NSNull(),
            "reply": say, "say": say, "slots": [Any](), "booking": NSNull(), "escalation": NSNull(), "transfer": NSNull(),
        ]
        return CallAnswer(status: 200, body: JSON.bytes(object), say: say, action: action, transfer: nil, ended: false, language: language)
    }

    /// The call's summary, as the transcript POST answers it and as the conversation's state keeps it.
    func summary(_ callID: String, _ entry: CallDesk.Entry) -> [String: Any] {
        desk.withEntry(entry) { e in
            var s: [String: Any] = [
                "call_id": callID, "status": e.session.status.rawValue, "events": e.events, "decisions": e.decisions,
                "errors": e.errors, "gaps": e.session.gaps.map { [$0.lowerBound, $0.upperBound] },
            ]
            s["transfer"] = e.transfer.map { ["queue": $0.queue, "escalation_id": $0.escalationID as Any? ?? NSNull(), "reason": $0.reason] } ?? NSNull()
            return s
        }
    }

    /// A hangup: the call's outcome goes into its conversation (closed unless staff has it).
    private func recordHangup(_ callID: String, _ entry: CallDesk.Entry, now: Date, done: @escaping @Sendable (Bool) -> Void) {
        writeOutcome(callID, entry, close: true, done: done)
    }

    private func recordOutcome(_ callID: String, _ entry: CallDesk.Entry) {
        writeOutcome(callID, entry, close: false) { _ in }
    }

    private func writeOutcome(_ callID: String, _ entry: CallDesk.Entry, close: Bool, done: @escaping @Sendable (Bool) -> Void) {
        let summary = JSON.bytes(summary(callID, entry))
        let now = RFC3339.format(clock.now())
        store.write({ tx in
            let existing = try tx.conversation(id: callID)
            var state = (existing.flatMap { try? JSONSerialization.jsonObject(with: Data($0.stateJSON.utf8)) as? [String: Any] }) ?? [:]
            state["call"] = try JSONSerialization.jsonObject(with: Data(summary))
            let status = existing?.status == "escalated" ? "escalated" : (close ? "closed" : existing?.status ?? "open")
            try tx.upsertConversation(ConversationRecord(
                id: callID, channel: Channel.voice.rawValue, createdAt: existing?.createdAt ?? now, updatedAt: now,
                stateJSON: String(decoding: JSON.bytes(state), as: UTF8.self), status: status))
        }, completion: { [log] result in
            if case .failure = result { log(.error, "call_outcome_not_recorded", [("call_id", callID)]) }
            done((try? result.get()) != nil)
        })
    }

    /// Facts read back from a `/v1/messages` response body.
    struct Facts {
        var reply = ""
        var action = "reply"
        var route = "automate"
        var queue: String?
        var escalationID: String?
        var language: String?
    }

    static func facts(of body: [UInt8]) -> Facts {
        var f = Facts()
        guard let o = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return f }
        f.reply = o["reply"] as? String ?? ""
        if let d = o["decision"] as? [String: Any] {
            f.action = d["action"] as? String ?? f.action
            f.route = d["route"] as? String ?? f.route
            f.queue = d["queue"] as? String
            f.language = (d["entities"] as? [String: Any])?["language"] as? String
        }
        if let e = o["escalation"] as? [String: Any] {
            f.escalationID = e["id"] as? String
            f.queue = e["queue"] as? String ?? f.queue
        }
        return f
    }

    /// Adds keys to a JSON object body without re-encoding what is there (stored decisions are
    /// returned byte for byte).
    static func splice(_ body: [UInt8], _ extra: [String: Any]) -> [UInt8] {
        guard body.last == UInt8(ascii: "}"), !extra.isEmpty else { return body }
        var inner = JSON.bytes(extra)
        inner.removeFirst()  // "{"
        var out = Array(body.dropLast())
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        out += inner
        return out
    }
}
