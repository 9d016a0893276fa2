import Foundation
import XCTest

/// The escalation queue over real HTTP: the handoff packet for several conversation shapes,
/// attaching later messages, raising, claim races, resolve and reopen.
final class EscalationTests: SharedDaemonTestCase {
    override class func makeDaemon() throws -> DaemonProcess { try DaemonProcess(demoSlots: true) }
    let staff = DaemonProcess.staffToken

    @discardableResult
    func say(_ conv: String, _ id: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        // sent_at is now (the server's clock), so "next week" meets the daemon's demo slots.
        let r = d.post("/v1/messages", json: ["conversation_id": conv, "message_id": id, "text": text, "channel": "sms"])
        XCTAssertEqual(r.status, 200, r.text, file: file, line: line)
        return r.json
    }

    func packet(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = d.get("/v1/escalations/\(id)", token: staff)
        XCTAssertEqual(r.status, 200, r.text, file: file, line: line)
        return r.json
    }

    func escalation(_ response: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap(response["escalation"] as? [String: Any], "the response names its escalation")
    }

    func action(_ response: [String: Any]) -> String? { (response["decision"] as? [String: Any])?["action"] as? String }

    func testBillingQuestionPacket() throws {
        let r = say("esc-bill", "m1", "I was charged twice for my last visit and need someone to fix it")
        let e = try escalation(r)
        XCTAssertEqual(e["queue"] as? String, "billing")
        XCTAssertEqual(e["priority"] as? String, "normal")
        XCTAssertTrue((e["id"] as? String)?.hasPrefix("esc_") == true)
        XCTAssertFalse((e["reason"] as? String ?? "").isEmpty)

        let p = try packet(e["id"] as! String)
        XCTAssertEqual(p["id"] as? String, e["id"] as? String)
        XCTAssertEqual(p["conversation_id"] as? String, "esc-bill")
        XCTAssertEqual(p["status"] as? String, "open")
        XCTAssertTrue(p["assignee"] is NSNull)
        let transcript = try XCTUnwrap(p["transcript"] as? [[String: Any]])
        XCTAssertEqual(transcript.first?["text"] as? String, "I was charged twice for my last visit and need someone to fix it")
        XCTAssertEqual(transcript.first?["from"] as? String, "patient")
        XCTAssertEqual(transcript.last?["from"] as? String, "system", "the reply Intake sent is in the transcript")
        let reasons = try XCTUnwrap(p["reasons"] as? [[String: Any]])
        XCTAssertTrue(reasons.contains { ($0["code"] as? String) == "intent.billing" })
        XCTAssertTrue(reasons.allSatisfy { !($0["text"] as? String ?? "").isEmpty }, "every reason in plain words")
        XCTAssertEqual((p["decisions"] as? [Any])?.count, 1)
        let summary = try XCTUnwrap(p["summary"] as? String)
        XCTAssertTrue(summary.contains("billing"), summary)
        XCTAssertTrue(summary.contains("charged twice"), summary)
        // SLA from the rules: billing normal = 1440 minutes after creation.
        let created = try XCTUnwrap(ISO8601DateFormatter.storeStamp.date(from: p["created_at"] as? String ?? ""))
        let due = try XCTUnwrap(ISO8601DateFormatter.storeStamp.date(from: p["sla_due_at"] as? String ?? ""))
        XCTAssertEqual(due.timeIntervalSince(created), 1440 * 60, accuracy: 1)
        let transitions = try XCTUnwrap(p["transitions"] as? [[String: Any]])
        XCTAssertEqual(transitions.count, 1)
        XCTAssertEqual(transitions.first?["actor"] as? String, "system")
        XCTAssertEqual(transitions.first?["to"] as? String, "open")
    }

    func testBookingThenAPersonKeepsTheWholeStory() throws {
        let first = say("esc-book", "m1", "Can I get a dermatology appointment next week, mornings?")
        XCTAssertTrue(first["escalation"] is NSNull, "an automated message opens nothing")
        let second = say("esc-book", "m2", "I want to talk to a real person please")
        XCTAssertEqual(action(second), "escalate")
        let e = try escalation(second)
        let p = try packet(e["id"] as! String)
        let patient = (p["transcript"] as? [[String: Any]] ?? []).filter { $0["from"] as? String == "patient" }
        XCTAssertEqual(patient.map { $0["text"] as? String }, ["Can I get a dermatology appointment next week, mornings?",
                                                               "I want to talk to a real person please"])
        XCTAssertEqual((p["decisions"] as? [Any])?.count, 2, "the decisions so far, not only the last")
        XCTAssertEqual((p["entities"] as? [String: Any])?["service"] as? String, "dermatology")
        XCTAssertFalse(((p["entities"] as? [String: Any])?["time_wishes"] as? [Any] ?? []).isEmpty)
        let summary = p["summary"] as? String ?? ""
        XCTAssertTrue(summary.contains("dermatology"), summary)
        XCTAssertTrue(summary.contains("2 patient messages"), summary)
    }

    func testEmergencyIsUrgentWithAShortDeadline() throws {
        let r = say("esc-em", "m1", "I have crushing chest pain right now")
        XCTAssertEqual(action(r), "emergency")
        XCTAssertTrue((r["reply"] as? String ?? "").contains("911"))
        let e = try escalation(r)
        XCTAssertEqual(e["priority"] as? String, "urgent")
        XCTAssertEqual(e["queue"] as? String, "emergency")
        let p = try packet(e["id"] as! String)
        let created = try XCTUnwrap(ISO8601DateFormatter.storeStamp.date(from: p["created_at"] as? String ?? ""))
        let due = try XCTUnwrap(ISO8601DateFormatter.storeStamp.date(from: p["sla_due_at"] as? String ?? ""))
        XCTAssertEqual(due.timeIntervalSince(created), 5 * 60, accuracy: 1)
        let list = d.get("/v1/escalations?status=open", token: staff).json["escalations"] as? [[String: Any]] ?? []
        XCTAssertEqual(list.first?["priority"] as? String, "urgent", "most urgent first")
    }

    func testLaterMessagesAreAttachedAndAnEmergencyRaisesToUrgent() throws {
        let id = try escalation(say("esc-att", "m1", "I was charged twice for my last visit and need someone to fix it"))["id"] as? String
        let later = say("esc-att", "m2", "Can I get a dermatology appointment next week?")
        XCTAssertEqual(action(later), "escalate", "no automation once escalated")
        XCTAssertEqual(later["reply"] as? String, "A member of our team has your message and will reply soon.")
        XCTAssertEqual(try escalation(later)["id"] as? String, id, "attached to the same escalation")
        XCTAssertEqual((later["slots"] as? [Any])?.count, 0)

        let emergency = say("esc-att", "m3", "now I have crushing chest pain and can't breathe")
        XCTAssertEqual(action(emergency), "emergency", "the safety reply still goes out")
        XCTAssertTrue((emergency["reply"] as? String ?? "").contains("911"))
        let raised = try escalation(emergency)
        XCTAssertEqual(raised["id"] as? String, id)
        XCTAssertEqual(raised["priority"] as? String, "urgent")

        let p = try packet(id!)
        XCTAssertEqual(p["priority"] as? String, "urgent")
        XCTAssertEqual((p["decisions"] as? [Any])?.count, 3)
        let notes = (p["transitions"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String }
        XCTAssertTrue(notes.contains { $0.contains("normal -> urgent") }, "\(notes)")
        let mine = (d.get("/v1/escalations?queue=billing&limit=1000", token: staff).json["escalations"] as? [[String: Any]] ?? [])
            .filter { $0["conversation_id"] as? String == "esc-att" }
        XCTAssertEqual(mine.count, 1, "one escalation per conversation")
    }

    func testClaimResolveAndReopen() throws {
        let id = try XCTUnwrap(try escalation(say("esc-life", "m1", "I need to talk to someone about my bill"))["id"] as? String)
        let path = "/v1/escalations/\(id)"
        XCTAssertEqual(d.post(path + "/claim", token: staff, json: [:]).status, 400, "assignee is required")
        let claim = d.post(path + "/claim", token: staff, json: ["assignee": "nurse-kim"])
        XCTAssertEqual(claim.status, 200, claim.text)
        XCTAssertEqual(claim.json["assignee"] as? String, "nurse-kim")
        XCTAssertEqual(claim.json["status"] as? String, "claimed")
        let again = d.post(path + "/claim", token: staff, json: ["assignee": "dr-lee"])
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(d.post(path + "/resolve", token: staff, json: ["note": "x"]).status, 400, "outcome is required")
        let resolved = d.post(path + "/resolve", token: staff, json: ["outcome": "refund_issued", "note": "refunded the duplicate"])
        XCTAssertEqual(resolved.status, 200, resolved.text)
        XCTAssertEqual(resolved.json["status"] as? String, "resolved")
        XCTAssertEqual(resolved.json["outcome"] as? String, "refund_issued")
        XCTAssertEqual(d.post(path + "/claim", token: staff, json: ["assignee": "x"]).status, 409, "a resolved item is not claimable")

        let back = say("esc-life", "m2", "thanks, one more question about it")
        XCTAssertEqual(action(back), "escalate")
        XCTAssertEqual(try escalation(back)["id"] as? String, id, "the same escalation, reopened")
        let p = try packet(id)
        XCTAssertEqual(p["status"] as? String, "open")
        XCTAssertTrue(p["assignee"] is NSNull)
        let transitions = p["transitions"] as? [[String: Any]] ?? []
        XCTAssertEqual(transitions.map { $0["to"] as? String }, ["open", "claimed", "resolved", "open"])
        XCTAssertEqual(transitions.map { $0["actor"] as? String }, ["system", "nurse-kim", "desk", "patient"])
        XCTAssertEqual(transitions[2]["note"] as? String, "refunded the duplicate")
        XCTAssertTrue(transitions.allSatisfy { ($0["at"] as? String)?.isEmpty == false }, "every transition says when")

        let release = d.post(path + "/release", token: staff, json: [:])
        XCTAssertEqual(release.status, 409, "only a claimed escalation can be released")
        XCTAssertEqual(d.post(path + "/claim", token: staff, json: ["assignee": "a"]).status, 200)
        XCTAssertEqual(d.post(path + "/release", token: staff, json: ["note": "shift ended"]).status, 200)
        XCTAssertEqual(try packet(id)["status"] as? String, "open")
    }

    func testClaimRaceHasExactlyOneWinner() throws {
        let id = try XCTUnwrap(try escalation(say("esc-race", "m1", "I need to speak with a person about my bill"))["id"] as? String)
        let statuses = SharedBox<[Int: String]>([:])
        let d = d, staff = staff
        DispatchQueue.concurrentPerform(iterations: 10) { i in
            let r = d.post("/v1/escalations/\(id)/claim", token: staff, json: ["assignee": "agent-\(i)"])
            statuses.update { $0[r.status, default: ""] += "agent-\(i) " }
        }
        let result = statuses.get()
        XCTAssertEqual(result.keys.sorted(), [200, 409], "\(result)")
        let winner = result[200]!.trimmingCharacters(in: .whitespaces)
        XCTAssertFalse(winner.contains(" "), "exactly one 200: \(result)")
        XCTAssertEqual(result[409]?.split(separator: " ").count, 9)
        XCTAssertEqual(try packet(id)["assignee"] as? String, winner)
        XCTAssertEqual((try packet(id)["transitions"] as? [Any])?.count, 2, "one claim recorded")
    }

    func testQueueFiltersAndScopes() throws {
        _ = say("esc-q1", "m1", "I was charged twice for my last visit and need someone to fix it")
        _ = say("esc-q2", "m1", "I have crushing chest pain right now")
        let billing = d.get("/v1/escalations?queue=billing", token: staff).json["escalations"] as? [[String: Any]] ?? []
        XCTAssertFalse(billing.isEmpty)
        XCTAssertTrue(billing.allSatisfy { $0["queue"] as? String == "billing" })
        let all = d.get("/v1/escalations?status=open&limit=1000", token: staff).json["escalations"] as? [[String: Any]] ?? []
        let rank = ["urgent": 0, "high": 1, "normal": 2]
        let ranks = all.map { rank[$0["priority"] as? String ?? ""] ?? 9 }
        XCTAssertEqual(ranks, ranks.sorted(), "most urgent first")
        XCTAssertEqual(d.get("/v1/escalations?status=nope", token: staff).status, 422)
        XCTAssertEqual(d.get("/v1/escalations", token: DaemonProcess.ingestToken).status, 403)
        XCTAssertEqual(d.get("/v1/escalations/esc_nope", token: staff).status, 404)
        XCTAssertEqual(d.post("/v1/escalations/esc_nope/claim", token: staff, json: ["assignee": "a"]).status, 404)
    }
}

extension ISO8601DateFormatter {
    /// RFC 3339 with milliseconds, as the store writes timestamps.
    static var storeStamp: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}

/// A value shared across test threads.
final class SharedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value  // guarded by `lock`
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }
}
