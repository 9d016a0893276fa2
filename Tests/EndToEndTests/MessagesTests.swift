import Foundation
import XCTest

/// POST /v1/messages end to end: the decision, idempotency, and reading it back.
final class MessagesTests: SharedDaemonTestCase {
    override class func makeDaemon() throws -> DaemonProcess { try DaemonProcess(demoSlots: true) }

    func testDecisionShapeAndReadBack() throws {
        let r = d.post("/v1/messages", json: [
            "conversation_id": "c-81", "message_id": "m-1", "channel": "chat",
            "text": "Can I get a dermatology appointment next week, mornings?",
            // The contract's example, sent now: "next week" must meet the daemon's demo slots.
            "sent_at": RFC3339Now.string(),
            "patient": ["name": "Ana Diaz", "phone": "555-0100", "new_patient": true, "language": "en"],
        ])
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["conversation_id"] as? String, "c-81")
        XCTAssertEqual(r.json["message_id"] as? String, "m-1")
        let decision = try XCTUnwrap(r.json["decision"] as? [String: Any])
        XCTAssertEqual(decision["intent"] as? String, "book_appointment")
        XCTAssertEqual(decision["route"] as? String, "automate")
        XCTAssertEqual(decision["action"] as? String, "offer_slots", r.text)
        XCTAssertFalse((r.json["slots"] as? [Any] ?? []).isEmpty, "free slots are offered")
        XCTAssertTrue((decision["id"] as? String)?.hasPrefix("dec_") == true)
        XCTAssertTrue((decision["rules_version"] as? String)?.hasPrefix("sha256:") == true)
        XCTAssertFalse((decision["reasons"] as? [Any] ?? []).isEmpty, "a decision names its rules")
        XCTAssertEqual((decision["model"] as? [String: Any])?["used"] as? Bool, false)
        XCTAssertEqual((decision["entities"] as? [String: Any])?["service"] as? String, "dermatology")
        XCTAssertNotNil(r.json["reply"] as? String)
        XCTAssertTrue(r.json.keys.contains("booking"))
        XCTAssertTrue(r.json.keys.contains("escalation"))

        let list = d.get("/v1/decisions?conversation_id=c-81", token: DaemonProcess.auditToken)
        let rows = try XCTUnwrap(list.json["decisions"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual((rows[0]["decision"] as? [String: Any])?["id"] as? String, decision["id"] as? String)

        let conv = d.get("/v1/conversations/c-81", token: DaemonProcess.staffToken)
        XCTAssertEqual(conv.status, 200)
        let messages = try XCTUnwrap(conv.json["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.first?["text"] as? String, "Can I get a dermatology appointment next week, mornings?")
        XCTAssertEqual((conv.json["decisions"] as? [Any])?.count, 1)
        XCTAssertEqual(d.get("/v1/conversations/nope", token: DaemonProcess.staffToken).status, 404)
        XCTAssertFalse(d.log.contains("Ana Diaz") || d.log.contains("dermatology appointment next week"),
                       "logs never carry message text or patient fields")
    }

    func testIdempotency() throws {
        let body: [String: Any] = ["conversation_id": "idem", "message_id": "m1", "text": "what are your hours"]
        let first = d.post("/v1/messages", json: body)
        XCTAssertEqual(first.status, 200)
        let second = d.post("/v1/messages", json: body)
        XCTAssertEqual(second.status, 200)
        XCTAssertEqual(first.body, second.body, "a repeat returns the stored response")
        var changed = body
        changed["text"] = "cancel my appointment"
        let conflict = d.post("/v1/messages", json: changed)
        XCTAssertEqual(conflict.status, 409)
        let rows = d.get("/v1/decisions?conversation_id=idem", token: DaemonProcess.auditToken).json["decisions"] as? [Any]
        XCTAssertEqual(rows?.count, 1, "no second decision for a repeat")
    }

    func testServerAssignsConversationID() {
        let r = d.post("/v1/messages", json: ["message_id": "m1", "text": "hello"])
        XCTAssertEqual(r.status, 200)
        XCTAssertTrue((r.json["conversation_id"] as? String)?.hasPrefix("conv_") == true)
    }

    func testEmergencyAndHumanRoutes() throws {
        let e = d.post("/v1/messages", json: ["conversation_id": "em1", "message_id": "m1",
                                              "text": "I want to book a checkup but I have crushing chest pain right now"])
        let ed = try XCTUnwrap(e.json["decision"] as? [String: Any])
        XCTAssertEqual(ed["route"] as? String, "emergency")
        XCTAssertEqual(ed["action"] as? String, "emergency")
        XCTAssertTrue((e.json["reply"] as? String ?? "").contains("911"))

        let h = d.post("/v1/messages", json: ["conversation_id": "hu1", "message_id": "m1",
                                              "text": "I was charged twice for my last visit and need someone to fix it"])
        let hd = try XCTUnwrap(h.json["decision"] as? [String: Any])
        XCTAssertEqual(hd["route"] as? String, "human")
        XCTAssertEqual(hd["action"] as? String, "escalate")
        // Later messages in an escalated conversation are acknowledged, not automated.
        let later = d.post("/v1/messages", json: ["conversation_id": "hu1", "message_id": "m2", "text": "what are your hours"])
        XCTAssertEqual((later.json["decision"] as? [String: Any])?["action"] as? String, "escalate")
    }

    func testMetricsExposition() {
        _ = d.post("/v1/messages", json: ["conversation_id": "met", "message_id": "m1", "text": "hi there"])
        let m = d.get("/metrics", token: nil)
        XCTAssertEqual(m.status, 200)
        XCTAssertTrue(m.text.contains("intake_http_requests_total{method=\"POST\",status=\"200\"}"))
        XCTAssertTrue(m.text.contains("intake_decisions_total{route="))
        XCTAssertTrue(m.text.contains("intake_http_request_duration_seconds_bucket{le=\"+Inf\"}"))

        // Every sample's metric is typed before it, counters of `increment` included.
        XCTAssertEqual(d.request("POST", "/v1/admin/reload", token: DaemonProcess.adminToken).status, 200)
        var typed: Set<String> = []
        for line in d.get("/metrics", token: nil).text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("#") { continue }
            var name = String(line.prefix { $0 != "{" && $0 != " " })
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && !typed.contains(name) {
                name = String(name.dropLast(suffix.count))
            }
            XCTAssertTrue(typed.contains(name), "no TYPE line before \(line)")
        }
        XCTAssertTrue(typed.contains("intake_rule_reloads_total"), "\(typed)")

        // A method token of the client's choosing is counted as "other", never echoed into a label.
        XCTAssertEqual(d.request("BREW", "/healthz", token: nil).status, 405)
        let after = d.get("/metrics", token: nil).text
        XCTAssertFalse(after.contains("BREW"), after)
        XCTAssertTrue(after.contains("intake_http_requests_total{method=\"other\",status=\"405\"}"), after)
    }
}

/// The current time as RFC 3339, for requests that must be "now".
enum RFC3339Now {
    static func string() -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "America/New_York")
        return f.string(from: Date())
    }
}
