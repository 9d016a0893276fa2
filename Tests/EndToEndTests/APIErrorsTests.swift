import Foundation
import XCTest

/// Every error status of the contract, over a real socket against the real daemon, and proof
/// that a rejected request records nothing.
final class APIErrorsTests: SharedDaemonTestCase {

    private func message(_ id: String, text: String = "what time do you open on saturday") -> [String: Any] {
        ["conversation_id": "err-\(id)", "message_id": "m1", "channel": "sms", "text": text]
    }

    func testHealthzNeedsNoToken() {
        let r = d.get("/healthz", token: nil)
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.json["status"] as? String, "ok")
    }

    func testAuthentication() {
        XCTAssertEqual(d.post("/v1/messages", token: nil, json: message("a1")).status, 401)
        XCTAssertEqual(d.post("/v1/messages", token: "itk_wrong", json: message("a2")).status, 401)
        let wrongScope = d.post("/v1/messages", token: DaemonProcess.auditToken, json: message("a3"))
        XCTAssertEqual(wrongScope.status, 403)
        XCTAssertEqual(wrongScope.errorCode, "forbidden")
        XCTAssertTrue((wrongScope.json["error"] as? [String: Any])?["field"] is NSNull, wrongScope.text)
        XCTAssertEqual(d.get("/v1/decisions", token: DaemonProcess.ingestToken).status, 403)
        XCTAssertEqual(d.get("/v1/decisions", token: DaemonProcess.auditToken).status, 200)
        XCTAssertEqual(d.get("/v1/decisions", token: DaemonProcess.adminToken).status, 200, "admin implies every scope")
    }

    func testRoutingErrorsBeforeBody() {
        let unknown = d.get("/v1/nothing-here", token: DaemonProcess.adminToken)
        XCTAssertEqual(unknown.status, 404)
        XCTAssertTrue((unknown.json["error"] as? [String: Any])?["field"] is NSNull,
                      "an error about no one field carries \"field\": null: \(unknown.text)")
        let wrongMethod = d.request("DELETE", "/v1/messages", token: DaemonProcess.ingestToken)
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.errorCode, "method_not_allowed")
        XCTAssertTrue((wrongMethod.json["error"] as? [String: Any])?["field"] is NSNull, wrongMethod.text)
        XCTAssertEqual(wrongMethod.headers["allow"], "POST")
        XCTAssertEqual(d.request("POST", "/v1/decisions", token: DaemonProcess.auditToken).headers["allow"], "GET, HEAD")
        let wrongType = d.request("POST", "/v1/messages", token: DaemonProcess.ingestToken,
                                  body: Data("text=hi".utf8), contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(wrongType.status, 415)
        let big = Data(repeating: UInt8(ascii: "a"), count: 70_000)
        XCTAssertEqual(d.request("POST", "/v1/messages", token: DaemonProcess.ingestToken, body: big).status, 413)
    }

    func testBodyValidationNamesTheField() {
        func post(_ body: Data) -> DaemonProcess.Response {
            d.request("POST", "/v1/messages", token: DaemonProcess.ingestToken, body: body)
        }
        let malformed = post(Data("{\"message_id\": ".utf8))
        XCTAssertEqual(malformed.status, 400)
        XCTAssertEqual(malformed.errorCode, "malformed")
        XCTAssertEqual(post(Data("[1,2]".utf8)).status, 400)
        let invalidUTF8 = post(Data([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))
        XCTAssertEqual(invalidUTF8.status, 400)

        let missing = d.post("/v1/messages", json: ["conversation_id": "v1", "text": "hi"])
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(missing.errorField, "message_id")
        let missingText = d.post("/v1/messages", json: ["message_id": "m1"])
        XCTAssertEqual(missingText.errorField, "text")
        let wrongType = d.post("/v1/messages", json: ["message_id": 7, "text": "hi"])
        XCTAssertEqual(wrongType.status, 400)
        XCTAssertEqual(wrongType.errorField, "message_id")
        let badChannel = d.post("/v1/messages", json: ["message_id": "m1", "text": "hi", "channel": "fax"])
        XCTAssertEqual(badChannel.status, 422)
        XCTAssertEqual(badChannel.errorField, "channel")
        let longText = d.post("/v1/messages", json: ["message_id": "m1", "text": String(repeating: "x", count: 5000)])
        XCTAssertEqual(longText.status, 422)
        XCTAssertEqual(longText.errorField, "text")
        let badTime = d.post("/v1/messages", json: ["message_id": "m1", "text": "hi", "sent_at": "yesterday"])
        XCTAssertEqual(badTime.status, 422)
        XCTAssertEqual(badTime.errorField, "sent_at")
        let badPatient = d.post("/v1/messages", json: ["message_id": "m1", "text": "hi", "patient": ["new_patient": "yes"]])
        XCTAssertEqual(badPatient.status, 400)
        XCTAssertEqual(badPatient.errorField, "patient.new_patient")

        // None of the rejected requests left a decision behind.
        let decisions = d.get("/v1/decisions?conversation_id=v1", token: DaemonProcess.auditToken)
        XCTAssertEqual((decisions.json["decisions"] as? [Any])?.count, 0)
    }

    func testErrorBodyShape() {
        let r = d.post("/v1/messages", token: nil, json: message("shape"))
        let error = r.json["error"] as? [String: Any]
        XCTAssertNotNil(error?["code"] as? String)
        XCTAssertNotNil(error?["message"] as? String)
        XCTAssertEqual(r.headers["content-type"], "application/json")
    }

    /// Over its rate, a key gets 429 with Retry-After before the body is read; other keys go on.
    func testRateLimitPerKey() throws {
        let limited = try DaemonProcess(extraConfig: "")
        defer { limited.cleanup() }
        var conf = try String(contentsOf: limited.root.appendingPathComponent("intaked.conf"), encoding: .utf8)
        conf = conf.replacingOccurrences(of: "[server]\n", with: "[server]\nrate_limit_per_s = 1\nrate_limit_burst = 3\n")
        try conf.write(to: limited.root.appendingPathComponent("intaked.conf"), atomically: true, encoding: .utf8)
        try limited.start()
        let statuses = (0..<5).map { i in
            limited.post("/v1/messages", json: ["conversation_id": "rl", "message_id": "m\(i)", "text": "what are your hours"]).status
        }
        XCTAssertEqual(statuses.prefix(3).filter { $0 == 200 }.count, 3, "\(statuses)")
        XCTAssertTrue(statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")
        let r = limited.post("/v1/messages", json: ["conversation_id": "rl", "message_id": "m9", "text": "hi"])
        XCTAssertEqual(r.status, 429)
        XCTAssertEqual(r.errorCode, "rate_limited")
        XCTAssertNotNil(r.headers["retry-after"])
        XCTAssertEqual(limited.get("/v1/decisions", token: DaemonProcess.auditToken).status, 200, "another key is not limited")
    }
}
