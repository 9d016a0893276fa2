import Foundation
import HTTPServer
import XCTest

/// A webhook receiver inside the test: records each delivery, answers 500 while `failing`.
final class WebhookReceiver: HTTPHandler, @unchecked Sendable {
    struct Delivery { var headers: [String: String]; var body: Data }
    private let lock = NSLock()
    // Guarded by `lock`.
    private var received: [Delivery] = []
    private var failuresLeft = 0
    private var refusals = 0
    private var server: HTTPServer?

    func preflight(_ head: HTTPRequestHead) -> HTTPResponse? { nil }

    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        let fail = lock.withLock { () -> Bool in
            if failuresLeft > 0 { failuresLeft -= 1; refusals += 1; return true }
            var headers: [String: String] = [:]
            for (k, v) in request.head.headers { headers[k.lowercased()] = v }
            received.append(Delivery(headers: headers, body: Data(request.body)))
            return false
        }
        responder.respond(HTTPResponse(status: fail ? 500 : 204))
    }

    /// Starts on an ephemeral port (or `port`) and returns it.
    func start(port: UInt16 = 0) throws -> UInt16 {
        let s = HTTPServer(config: HTTPServerConfig(host: "127.0.0.1", port: port, maxBodyBytes: 1 << 20,
                                                    connectionTimeoutSeconds: 5, threadPoolSize: 2), handler: self)
        try s.start()
        lock.withLock { server = s }
        return s.boundPort
    }

    func stop() { lock.withLock { server }?.stop() }
    func fail(next n: Int) { lock.withLock { failuresLeft = n } }
    var deliveries: [Delivery] { lock.withLock { received } }
    var refused: Int { lock.withLock { refusals } }

    /// The delivered events' JSON objects.
    var events: [[String: Any]] {
        deliveries.compactMap { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] }
    }
}

/// Webhooks end to end: signatures a receiver can verify, retries through a failing receiver,
/// and pending events surviving a daemon restart.
final class WebhookDeliveryTests: XCTestCase {
    let secret = "whsec-test-5f2a9c"

    func daemon(receiverPort: UInt16, extra: String = "") throws -> DaemonProcess {
        let d = try DaemonProcess()
        let secretFile = d.root.appendingPathComponent("webhook.secret")
        try (secret + "\n").write(to: secretFile, atomically: true, encoding: .utf8)
        let conf = d.root.appendingPathComponent("intaked.conf")
        let text = try String(contentsOf: conf, encoding: .utf8) + Self.webhookSection(receiverPort, secretFile.path) + extra
        try text.write(to: conf, atomically: true, encoding: .utf8)
        return d
    }

    static func webhookSection(_ port: UInt16, _ secretFile: String) -> String {
        """
        [webhook]
        url = http://127.0.0.1:\(port)/hooks/intake
        secret_file = \(secretFile)
        retry_base_ms = 50
        retry_cap_ms = 200
        max_attempts = 50
        poll_ms = 30

        """
    }

    func waitFor(_ seconds: Double = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// HMAC-SHA256 by the openssl tool, so the check does not share the daemon's code.
    func opensslHMAC(_ body: Data) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["dgst", "-sha256", "-hmac", secret, "-hex"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(body)
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(out.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func metric(_ d: DaemonProcess, _ name: String) -> Double? {
        let text = d.get("/metrics", token: nil).text
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }

    func testDeliveriesAreSignedPerTheContract() throws {
        let receiver = WebhookReceiver()
        let port = try receiver.start()
        defer { receiver.stop() }
        let d = try daemon(receiverPort: port)
        defer { d.cleanup() }
        try d.start()
        let r = d.post("/v1/messages", json: ["conversation_id": "wh-em", "message_id": "m1", "text": "I have crushing chest pain right now"])
        XCTAssertEqual(r.status, 200)
        let escalationID = (r.json["escalation"] as? [String: Any])?["id"] as? String
        XCTAssertTrue(waitFor { receiver.deliveries.count >= 2 }, "escalation.created and emergency.detected arrive")
        let types = Set(receiver.events.compactMap { $0["type"] as? String })
        XCTAssertEqual(types, ["escalation.created", "emergency.detected"])
        for delivery in receiver.deliveries {
            let signature = try XCTUnwrap(delivery.headers["x-intake-signature"])
            XCTAssertEqual(signature, "sha256=" + (try opensslHMAC(delivery.body)), "HMAC-SHA256(secret, body)")
            let event = try XCTUnwrap((try JSONSerialization.jsonObject(with: delivery.body)) as? [String: Any])
            XCTAssertEqual(delivery.headers["x-intake-event-id"], event["id"] as? String)
            XCTAssertTrue((event["id"] as? String)?.hasPrefix("evt_") == true)
            XCTAssertEqual(delivery.headers["content-type"], "application/json")
            let data = try XCTUnwrap(event["data"] as? [String: Any])
            XCTAssertEqual(data["conversation_id"] as? String, "wh-em")
            XCTAssertFalse(String(decoding: delivery.body, as: UTF8.self).contains("chest pain"), "no patient text in webhooks")
        }
        let created = receiver.events.first { $0["type"] as? String == "escalation.created" }
        XCTAssertEqual(((created?["data"] as? [String: Any])?["escalation"] as? [String: Any])?["id"] as? String, escalationID)
        // A tampered body does not verify.
        let first = receiver.deliveries[0]
        XCTAssertNotEqual(first.headers["x-intake-signature"], "sha256=" + (try opensslHMAC(first.body + Data(" ".utf8))))

        // A staff claim is announced too.
        XCTAssertEqual(d.post("/v1/escalations/\(escalationID!)/claim", token: DaemonProcess.staffToken,
                              json: ["assignee": "nurse-kim"]).status, 200)
        XCTAssertTrue(waitFor { receiver.events.contains { $0["type"] as? String == "escalation.updated" } })
    }

    func testFailingReceiverLosesNothing() throws {
        let receiver = WebhookReceiver()
        receiver.fail(next: 8)
        let port = try receiver.start()
        defer { receiver.stop() }
        let d = try daemon(receiverPort: port)
        defer { d.cleanup() }
        try d.start()
        for i in 0..<4 {
            XCTAssertEqual(d.post("/v1/messages", json: ["conversation_id": "wh-f\(i)", "message_id": "m1",
                                                         "text": "I was charged twice and need someone to fix it"]).status, 200)
        }
        XCTAssertTrue(waitFor { receiver.refused >= 8 }, "the receiver refused for a while")
        XCTAssertTrue(waitFor { Set(receiver.events.compactMap { $0["id"] as? String }).count >= 4 }, "every event arrives")
        let created = receiver.events.filter { $0["type"] as? String == "escalation.created" }
        let conversations = Set(created.compactMap { ($0["data"] as? [String: Any])?["conversation_id"] as? String })
        XCTAssertEqual(conversations, ["wh-f0", "wh-f1", "wh-f2", "wh-f3"])
        let ids = receiver.events.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, 4, "one event id per event: \(ids)")
        XCTAssertTrue(waitFor { self.metric(d, "intake_outbox_pending") == 0 })
        XCTAssertGreaterThanOrEqual(metric(d, "intake_outbox_failed_attempts_total") ?? 0, 8)
        XCTAssertEqual(metric(d, "intake_outbox_dead"), 0)
        XCTAssertNotNil(metric(d, "intake_outbox_oldest_age_seconds"))
    }

    func testPendingEventsSurviveARestart() throws {
        let receiver = WebhookReceiver()
        receiver.fail(next: 1_000_000)
        let port = try receiver.start()
        defer { receiver.stop() }
        let d = try daemon(receiverPort: port, extra: "")
        defer { d.cleanup() }
        try d.start()
        for i in 0..<3 {
            XCTAssertEqual(d.post("/v1/messages", json: ["conversation_id": "wh-r\(i)", "message_id": "m1",
                                                         "text": "I need to talk to someone about my bill"]).status, 200)
        }
        XCTAssertTrue(waitFor { (self.metric(d, "intake_outbox_pending") ?? 0) >= 3 && receiver.refused >= 3 })
        XCTAssertGreaterThan(metric(d, "intake_outbox_oldest_age_seconds") ?? -1, 0)
        d.shutdown()
        XCTAssertEqual(d.process.terminationStatus, 0)

        receiver.fail(next: 0)
        let again = try DaemonProcess(reusing: d)
        // The reused config is rewritten without extras: add the webhook section back.
        let conf = again.root.appendingPathComponent("intaked.conf")
        let secretFile = again.root.appendingPathComponent("webhook.secret").path
        try (try String(contentsOf: conf, encoding: .utf8) + Self.webhookSection(port, secretFile))
            .write(to: conf, atomically: true, encoding: .utf8)
        try again.start()
        defer { again.shutdown() }
        XCTAssertTrue(waitFor { Set(receiver.events.compactMap { $0["id"] as? String }).count >= 3 }, "delivered after the restart")
        let conversations = Set(receiver.events.compactMap { ($0["data"] as? [String: Any])?["conversation_id"] as? String })
        XCTAssertEqual(conversations, ["wh-r0", "wh-r1", "wh-r2"])
        XCTAssertTrue(waitFor { self.metric(again, "intake_outbox_pending") == 0 })
    }
}
