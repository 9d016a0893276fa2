import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The model endpoint end to end: a real `intaked` consulting a fake OpenAI-compatible server
/// (Python) over real HTTP. Each test starts its own fake and daemon, so breaker state and
/// request logs never leak between tests.
final class ModelEndpointTests: XCTestCase {
    private var fake: FakeChatServer!
    private var daemon: DaemonProcess!

    override func tearDown() {
        daemon?.cleanup()
        fake?.stop()
        super.tearDown()
    }

    /// Starts the fake and a daemon pointed at it. `consultBelow` replaces the shipped
    /// `model.consult_below` (0.60) so that confident rule decisions are consulted too.
    private func start(mode: String = "on", timeoutMs: Int = 1500, consultBelow: Double? = nil,
                       answer: String? = nil) throws {
        fake = try FakeChatServer()
        if let answer { fake.behave(answer) }
        try "test-model-key\n".write(toFile: fake.dir + "/model.key", atomically: true, encoding: .utf8)
        daemon = try DaemonProcess(extraConfig: """
        [prompts]
        dir = \(DaemonProcess.repoRoot.appendingPathComponent("prompts").path)
        [model]
        endpoint = http://127.0.0.1:\(fake.port)/v1/chat/completions
        model = fake-7b
        timeout_ms = \(timeoutMs)
        api_key_file = \(fake.dir)/model.key
        mode = \(mode)

        """)
        if let consultBelow { try setThreshold("model.consult_below", consultBelow) }
        try daemon.start()
    }

    private func setThreshold(_ name: String, _ value: Double) throws {
        let file = daemon.rulesDir.appendingPathComponent("10-policy.rules")
        let text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("threshold \(name) ") ? "threshold \(name) = \(value)" : String(line)
        }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    private func send(_ text: String, id: String, patient: [String: Any]? = nil) throws -> (decision: [String: Any], json: [String: Any]) {
        var body: [String: Any] = ["conversation_id": "c-\(id)", "message_id": id, "channel": "sms", "text": text]
        if let patient { body["patient"] = patient }
        let r = daemon.post("/v1/messages", json: body)
        XCTAssertEqual(r.status, 200, r.text)
        return (try XCTUnwrap(r.json["decision"] as? [String: Any]), r.json)
    }

    private func model(_ d: [String: Any]) -> [String: Any] { d["model"] as? [String: Any] ?? [:] }
    private func reasonCodes(_ d: [String: Any]) -> [String] { (d["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }

    private func metric(_ series: String) -> Double? {
        let text = daemon.get("/metrics", token: nil).text
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    private static func answer(_ intent: String, _ confidence: Double) -> String {
        #"{"intent": "\#(intent)", "confidence": \#(confidence), "rationale": "test"}"#
    }

    func testLowConfidenceMessageConsultsModelAndRecordsIt() throws {
        try start(answer: Self.answer("billing", 0.9))
        // The rules read this as "other" at 0.2, below the shipped model.consult_below (0.60).
        let (d, _) = try send("can someone look at this", id: "low")
        let m = model(d)
        XCTAssertEqual(fake.requestCount, 1, "the unsure message was sent")
        XCTAssertEqual(m["outcome"] as? String, "used")
        XCTAssertEqual(m["used"] as? Bool, true)
        XCTAssertEqual(d["intent"] as? String, "billing", "a better label for staff")
        XCTAssertEqual(d["route"] as? String, "human")
        XCTAssertEqual((d["runner_up"] as? [String: Any])?["intent"] as? String, "other")
        XCTAssertEqual(m["name"] as? String, "fake-7b")
        XCTAssertTrue((m["prompt_version"] as? String)?.hasPrefix("sha256:") == true)
        XCTAssertNotNil(m["latency_ms"] as? Int)
        XCTAssertTrue(["used", "ignored", "overruled"].contains(m["outcome"] as? String ?? ""), "\(m)")
        XCTAssertTrue(reasonCodes(d).contains("model.consulted"), "\(reasonCodes(d))")
        XCTAssertTrue(fake.received.contains("Bearer test-model-key"), "the key file's key is sent")
        // The decision as the audit API returns it carries the same record.
        let rows = daemon.get("/v1/decisions?conversation_id=c-low", token: DaemonProcess.auditToken).json["decisions"] as? [[String: Any]]
        XCTAssertEqual(model(rows?.first?["decision"] as? [String: Any] ?? [:])["outcome"] as? String, m["outcome"] as? String)
        XCTAssertEqual(metric("intake_model_calls_total{outcome=\"\(m["outcome"] as? String ?? "")\"}"), 1)
    }

    func testRulesEmergencyIsNeverSent() throws {
        try start(consultBelow: 0.99, answer: Self.answer("greeting", 0.99))
        let (d, _) = try send("my father has chest pain and can't breathe", id: "em")
        XCTAssertEqual(d["route"] as? String, "emergency")
        XCTAssertEqual(model(d)["used"] as? Bool, false)
        XCTAssertNil(model(d)["outcome"])
        XCTAssertEqual(fake.requestCount, 0, "an emergency found by rules never waits for the model")
    }

    func testModelCannotAutomateWhatRulesSendToHumans() throws {
        try start(consultBelow: 0.99, answer: Self.answer("general_info", 0.99))
        let (d, json) = try send("I need a refill of my blood pressure medication", id: "refill")
        XCTAssertEqual(fake.requestCount, 1)
        XCTAssertEqual(d["route"] as? String, "human")
        XCTAssertEqual(d["action"] as? String, "escalate")
        // Below the (raised) consult threshold the model may relabel for staff; the route, the
        // queue and the priority stay the rules'.
        XCTAssertEqual(d["queue"] as? String, "clinical")
        XCTAssertEqual((d["runner_up"] as? [String: Any])?["intent"] as? String, "prescription_refill")
        XCTAssertEqual(model(d)["outcome"] as? String, "used")
        if let escalation = json["escalation"] as? [String: Any] { XCTAssertEqual(escalation["queue"] as? String, "clinical") }

        // Unsure rules, confident model that would automate: the label may change, the route not.
        let (unsure, _) = try send("can someone look at this", id: "unsure")
        XCTAssertEqual(unsure["route"] as? String, "human")
        XCTAssertEqual(unsure["action"] as? String, "escalate")
        XCTAssertEqual(model(unsure)["outcome"] as? String, "used")
    }

    func testModelRaisesToEmergencyAndToHuman() throws {
        try start(consultBelow: 0.99, answer: Self.answer("crisis", 0.85))
        let (raised, _) = try send("what are your hours on saturday", id: "raise")
        XCTAssertEqual(raised["route"] as? String, "emergency")
        XCTAssertEqual(raised["action"] as? String, "emergency")
        XCTAssertEqual(raised["intent"] as? String, "crisis")
        XCTAssertEqual(raised["queue"] as? String, "crisis", "the raised route goes to the crisis queue of the policy")
        XCTAssertEqual(raised["priority"] as? String, "urgent")
        XCTAssertEqual(model(raised)["outcome"] as? String, "used")
        XCTAssertTrue(reasonCodes(raised).contains("model.raised_urgency"))
        XCTAssertTrue(reasonCodes(raised).contains("model.queue"))

        fake.behave(Self.answer("billing", 0.9))
        let (human, _) = try send("what are your hours on sunday", id: "human")
        XCTAssertEqual(human["route"] as? String, "human")
        XCTAssertEqual(human["action"] as? String, "escalate")
        XCTAssertEqual(human["queue"] as? String, "front_desk", "queue of the rules' intent (general_info)")
        XCTAssertTrue(reasonCodes(human).contains("model.disagrees"))
    }

    func testSlowServerDecidesWithinDeadlineWithOutcomeFailed() throws {
        try start(timeoutMs: 300, consultBelow: 0.99)
        fake.behave("slow")
        let started = Date()
        let (d, _) = try send("what are your hours on saturday", id: "slow")
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 1.2, "decided by the deadline (300 ms + margin), not by the 3 s server")
        XCTAssertEqual(d["route"] as? String, "automate", "the rules' decision")
        XCTAssertEqual(model(d)["outcome"] as? String, "failed")
        XCTAssertTrue(reasonCodes(d).contains("model.failed"))
        XCTAssertEqual(metric("intake_model_failures_total{reason=\"timeout\"}"), 1)
    }

    func testServerErrorsOpenTheBreaker() throws {
        try start(consultBelow: 0.99)
        fake.behave("error500")
        XCTAssertEqual(metric("intake_model_breaker_state"), 0)
        for i in 0..<3 {
            let (d, _) = try send("what are your hours on saturday", id: "e\(i)")
            XCTAssertEqual(model(d)["outcome"] as? String, "failed")
            XCTAssertEqual(d["route"] as? String, "automate")
        }
        XCTAssertEqual(fake.requestCount, 3)
        XCTAssertEqual(metric("intake_model_breaker_state"), 2, "open after 3 consecutive failures")
        let (d, _) = try send("what are your hours on saturday", id: "e-open")
        XCTAssertEqual(model(d)["outcome"] as? String, "failed")
        XCTAssertEqual(fake.requestCount, 3, "an open breaker does not call")
        XCTAssertEqual(metric("intake_model_failures_total{reason=\"http_500\"}"), 3)
        XCTAssertEqual(metric("intake_model_failures_total{reason=\"circuit_open\"}"), 1)
        XCTAssertEqual(metric("intake_model_calls_total{outcome=\"failed\"}"), 4)
    }

    func testNoPatientIdentifierReachesTheServer() throws {
        try start(consultBelow: 0.99, answer: Self.answer("appointment_inquiry", 0.9))
        let patient: [String: Any] = ["name": "Ana Quintanilla", "phone": "(617) 555-0142", "email": "ana.q@example.org",
                                      "date_of_birth": "1984-07-12", "patient_id": "MRN448812", "language": "en"]
        let text = "Hi this is Ana Quintanilla, DOB 07/12/1984, MRN448812. When is my appointment? "
            + "Call me at 617-555-0142 or ana.q@example.org"
        let (d, _) = try send(text, id: "pii", patient: patient)
        XCTAssertEqual(fake.requestCount, 1)
        XCTAssertNotNil(model(d)["outcome"])
        let sent = fake.received
        for needle in ["Quintanilla", "Ana ", "555-0142", "5550142", "ana.q@example.org", "example.org", "1984", "MRN448812", "448812"] {
            XCTAssertFalse(sent.contains(needle), "'\(needle)' reached the model server")
        }
        XCTAssertTrue(sent.contains("[NAME]") && sent.contains("[PHONE]") && sent.contains("[EMAIL]"), sent)
        XCTAssertTrue(sent.contains("When is my appointment?"), "the rest of the message is sent")
        XCTAssertFalse(daemon.log.contains("Quintanilla") || daemon.log.contains("When is my appointment"))
    }

    func testShadowModeRecordsButDoesNotChangeTheRoute() throws {
        try start(mode: "shadow", consultBelow: 0.99, answer: Self.answer("crisis", 0.95))
        let (d, json) = try send("what are your hours on saturday", id: "shadow")
        XCTAssertEqual(fake.requestCount, 1, "shadow mode calls the model")
        XCTAssertEqual(d["route"] as? String, "automate")
        XCTAssertEqual(d["intent"] as? String, "general_info")
        XCTAssertEqual(model(d)["outcome"] as? String, "shadow")
        XCTAssertEqual(model(d)["used"] as? Bool, false)
        XCTAssertEqual(model(d)["name"] as? String, "fake-7b")
        XCTAssertTrue(json["escalation"] is NSNull || json["escalation"] == nil)
        XCTAssertEqual(metric("intake_model_calls_total{outcome=\"shadow\"}"), 1)
    }

    func testPromptsReloadWithRulesAllOrNothing() throws {
        // A copy of the prompts the test can break.
        let prompts = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("prompts-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: DaemonProcess.repoRoot.appendingPathComponent("prompts"), to: prompts)
        defer { try? FileManager.default.removeItem(at: prompts) }
        fake = try FakeChatServer()
        fake.behave(Self.answer("billing", 0.9))
        let keyFile = fake.dir + "/model.key"
        try "first-key\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        daemon = try DaemonProcess(extraConfig: """
        [prompts]
        dir = \(prompts.path)
        [model]
        endpoint = http://127.0.0.1:\(fake.port)
        model = fake-7b
        api_key_file = \(keyFile)

        """)
        try daemon.start()
        // A reload re-reads the key file: the next call carries the new key.
        try "second-key\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let ok = daemon.request("POST", "/v1/admin/reload", token: DaemonProcess.adminToken)
        XCTAssertEqual(ok.status, 200, ok.text)
        let version = try XCTUnwrap(ok.json["prompts_version"] as? String)
        XCTAssertTrue(version.hasPrefix("sha256:"))
        _ = try send("can someone look at this", id: "after-reload")
        XCTAssertTrue(fake.received.contains("Bearer second-key"), fake.received)

        let file = prompts.appendingPathComponent("classify.prompt")
        let good = try String(contentsOf: file, encoding: .utf8)
        try (good + "Patient: {{patient_name}}\n").write(to: file, atomically: true, encoding: .utf8)
        let bad = daemon.request("POST", "/v1/admin/reload", token: DaemonProcess.adminToken)
        XCTAssertEqual(bad.status, 422, bad.text)
        let details = (bad.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        XCTAssertEqual(details.first?["file"] as? String, file.path)
        XCTAssertNotNil(details.first?["line"] as? Int)
        XCTAssertTrue((details.first?["message"] as? String ?? "").contains("P001"), "\(details)")
        daemon.signal(SIGHUP)
        let deadline = Date().addingTimeInterval(5)
        while !daemon.log.contains("event=rules_reload_failed trigger=sighup"), Date() < deadline { usleep(20_000) }
        XCTAssertTrue(daemon.log.contains("classify.prompt:"), "SIGHUP logs the prompt diagnostics")

        try good.write(to: file, atomically: true, encoding: .utf8)
        let again = daemon.request("POST", "/v1/admin/reload", token: DaemonProcess.adminToken)
        XCTAssertEqual(again.json["prompts_version"] as? String, version)
    }

    func testBadPromptStopsStartupWithFileLineColumn() throws {
        let prompts = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("prompts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: prompts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prompts) }
        try "[system]\nClassify.\n[user]\n{{message}} {{ssn}}\n".write(to: prompts.appendingPathComponent("classify.prompt"),
                                                                    atomically: true, encoding: .utf8)
        daemon = try DaemonProcess(extraConfig: """
        [prompts]
        dir = \(prompts.path)
        [model]
        endpoint = http://127.0.0.1:9/v1
        model = fake-7b

        """)
        daemon.process.executableURL = DaemonProcess.productsDir.appendingPathComponent("intaked")
        daemon.process.arguments = ["--config", daemon.root.appendingPathComponent("intaked.conf").path]
        daemon.process.standardError = daemon.stderrPipe
        try daemon.process.run()
        daemon.process.waitUntilExit()
        let err = String(decoding: daemon.stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotEqual(daemon.process.terminationStatus, 0)
        XCTAssertTrue(err.contains(prompts.appendingPathComponent("classify.prompt").path + ":4:"), err)
    }
}

/// A fake OpenAI-compatible chat-completions server: a Python http.server script in a temp
/// file. What it answers is read from a file the test writes (`behave`): an answer object, or
/// `slow` (3 s) or `error500`. Every request (auth header and body) is appended to a log.
final class FakeChatServer: @unchecked Sendable {
    // @unchecked: set once in init, read afterwards.
    let port: Int
    let dir: String
    private let process = Process()

    static let script = #"""
import json, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
directory = sys.argv[1]
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body); self.wfile.flush()
        except Exception:
            pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            with open(directory + "/requests.log", "ab") as f:
                f.write((self.headers.get("Authorization") or "-").encode() + b" " + body + b"\n")
        try:
            behaviour = open(directory + "/behaviour").read().strip()
        except OSError:
            behaviour = '{"intent": "other", "confidence": 0.5, "rationale": "default"}'
        if behaviour == "error500":
            return self.reply(500, b'{"error": {"message": "boom"}}')
        if behaviour == "slow":
            time.sleep(3)
            behaviour = '{"intent": "other", "confidence": 0.5, "rationale": "late"}'
        out = {"id": "cmpl-1", "object": "chat.completion", "model": "fake-7b",
               "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": behaviour}}]}
        self.reply(200, json.dumps(out).encode())

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init() throws {
        dir = NSTemporaryDirectory() + "fake-chat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.script.write(toFile: dir + "/server.py", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: dir + "/requests.log", contents: Data())
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", dir + "/server.py", dir]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw NSError(domain: "FakeChatServer", code: 1) }
            line.append(chunk)
        }
        port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    /// Sets what the server answers from now on.
    func behave(_ behaviour: String) {
        try? behaviour.write(toFile: dir + "/behaviour", atomically: true, encoding: .utf8)
    }

    /// Every request received, one line each (auth header, body).
    var received: String { (try? String(contentsOfFile: dir + "/requests.log", encoding: .utf8)) ?? "" }
    var requestCount: Int { received.split(separator: "\n").count }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: dir)
    }
}
