import Foundation
import IntakeCore
import Redaction
import XCTest
@testable import ModelClient

final class ModelClientTests: XCTestCase {
    private var server: FakeModelServer!

    override func setUpWithError() throws { server = try FakeModelServer() }
    override func tearDown() { server = nil }

    private func client(_ mode: String, timeoutMs: Int = 800, maxBytes: Int = 64 * 1024, concurrency: Int = 4,
                        clock: any Clock = SystemClock(), keyFile: String? = nil,
                        breaker: CircuitBreaker.Settings = .init()) throws -> ModelClient {
        try ModelClient(config: ModelEndpointConfig(endpoint: server.endpoint(mode), model: "fake-model",
                                                    timeoutMs: timeoutMs, apiKeyFile: keyFile,
                                                    maxResponseBytes: maxBytes, concurrency: concurrency,
                                                    breaker: breaker), clock: clock)
    }

    private let patient = KnownIdentifiers(name: "Rosa Delgado", phone: "555-201-3344", email: "rosa.d@example.net",
                                           dateOfBirth: "1971-05-02", mrn: "MRN88231")
    private var input: ClassifyInput {
        ClassifyInput(text: "Hi this is Rosa Delgado, DOB 05/02/1971, MRN88231. Call 555 201 3344 or "
                      + "rosa.d@example.net. I live at 12 Elm Street. Can I book dermatology Tuesday at 9:30?",
                      known: patient, channel: .sms, language: "en",
                      rules: Fixtures.rules(confidence: 0.55, runnerUp: ScoredIntent(intent: .appointment_inquiry, confidence: 0.5)))
    }

    func testGoodAnswerAndNothingIdentifyingLeaves() throws {
        let keyFile = server.dir + "/key"
        try "sk-test-123\n".write(toFile: keyFile, atomically: true, encoding: .utf8)
        let c = try client("good", keyFile: keyFile)
        let (result, _) = call(c, input, Fixtures.prompt)
        XCTAssertEqual(result.answer, ModelAnswer(intent: .book_appointment, confidence: 0.9, rationale: "wants a visit"))
        XCTAssertEqual(result.model, "fake-model")
        XCTAssertEqual(result.promptVersion, Fixtures.prompt.version)
        XCTAssertGreaterThanOrEqual(result.latencyMs, 0)

        let sent = server.received
        XCTAssertTrue(sent.hasPrefix("/good/v1/chat/completions Bearer sk-test-123 "), sent)
        for secret in ["Rosa", "Delgado", "1971", "05/02", "88231", "3344", "201", "rosa.d", "example.net", "Elm"] {
            XCTAssertFalse(sent.contains(secret), "\(secret) reached the model endpoint")
        }
        for placeholder in ["[NAME]", "[DOB]", "[MRN]", "[PHONE]", "[EMAIL]", "[ADDRESS]", "Tuesday at 9:30"] {
            XCTAssertTrue(sent.contains(placeholder), "\(placeholder) missing from \(sent)")
        }
        let body = try XCTUnwrap(sent.split(separator: " ", maxSplits: 3).last)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        XCTAssertEqual(json["model"] as? String, "fake-model")
        XCTAssertEqual(json["temperature"] as? Int, 0)
        XCTAssertEqual((json["response_format"] as? [String: Any])?["type"] as? String, "json_object")
        XCTAssertEqual((json["messages"] as? [[String: Any]])?.map { $0["role"] as? String }, ["system", "user"])
    }

    func testSlowAnswerFailsAtTheDeadline() throws {
        let c = try client("slow", timeoutMs: 400)
        let (result, seconds) = call(c, input, Fixtures.prompt)
        XCTAssertEqual(result.outcome, .failed("timeout"))
        XCTAssertLessThan(seconds, 0.4 + 0.5, "returned \(seconds)s after the call")
        XCTAssertGreaterThanOrEqual(seconds, 0.39)
        XCTAssertEqual(c.callsInFlight, 0)
    }

    func testClassifyNeverBlocksTheCaller() throws {
        let c = try client("slow", timeoutMs: 600)
        let done = expectation(description: "done")
        let start = Date()
        c.classify(input: input, prompt: Fixtures.prompt) { _ in done.fulfill() }
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.1)
        wait(for: [done], timeout: 3)
    }

    func testServerErrorGarbageAndSchemaViolationsAreFailures() throws {
        let expectations: [(String, ModelOutcome)] = [
            ("error500", .failed("http_500")), ("garbage", .failed("invalid_json")),
            ("badschema", .failed("schema_keys")), ("prose", .failed("schema_not_json")),
            ("missing", .failed("http_404")),
        ]
        for (mode, expected) in expectations {
            let (result, seconds) = call(try client(mode), input, Fixtures.prompt)
            XCTAssertEqual(result.outcome, expected, mode)
            XCTAssertLessThan(seconds, 1.2, mode)
        }
    }

    func testOversizedBodiesAreCutOff() throws {
        for mode in ["big", "biglength"] {
            let (result, seconds) = call(try client(mode, maxBytes: 4096), input, Fixtures.prompt)
            XCTAssertEqual(result.outcome, .failed("response_too_large"), mode)
            XCTAssertLessThan(seconds, 1.2, mode)
        }
    }

    func testConcurrencyLimitSkipsExcessCalls() throws {
        let c = try client("slow", timeoutMs: 500, concurrency: 2)
        let box = ResultBox()
        let all = expectation(description: "all")
        all.expectedFulfillmentCount = 3
        for _ in 0..<3 { c.classify(input: input, prompt: Fixtures.prompt) { box.add($0); all.fulfill() } }
        wait(for: [all], timeout: 3)
        XCTAssertEqual(box.all.filter { $0.outcome == .skipped("concurrency_limit") }.count, 1)
        XCTAssertEqual(box.all.filter { $0.outcome == .failed("timeout") }.count, 2)
    }

    func testFlappingEndpointOpensAndClosesTheBreaker() throws {
        let clock = ManualClock()
        let c = try client("flaky", clock: clock, breaker: .init(failureThreshold: 2, openSeconds: 30))
        server.setDown(true)
        XCTAssertEqual(call(c, input, Fixtures.prompt).0.outcome, .failed("http_500"))
        XCTAssertEqual(c.breakerState, .closed(failures: 1))
        XCTAssertEqual(call(c, input, Fixtures.prompt).0.outcome, .failed("http_500"))
        XCTAssertEqual(c.breakerState, .open(until: clock.now() + 30))

        // Open: calls are skipped without reaching the server.
        let before = server.requestCount
        XCTAssertEqual(call(c, input, Fixtures.prompt).0.outcome, .skipped("circuit_open"))
        XCTAssertEqual(server.requestCount, before)

        // Still down when the probe goes out: open again for another period.
        clock.advance(31)
        XCTAssertEqual(call(c, input, Fixtures.prompt).0.outcome, .failed("http_500"))
        XCTAssertEqual(c.breakerState, .open(until: clock.now() + 30))

        // Back up: the probe succeeds and the breaker closes.
        server.setDown(false)
        clock.advance(31)
        XCTAssertNotNil(call(c, input, Fixtures.prompt).0.answer)
        XCTAssertEqual(c.breakerState, .closed(failures: 0))
        XCTAssertNotNil(call(c, input, Fixtures.prompt).0.answer)
    }

    func testRulesDecisionStandsOnEveryFailure() throws {
        let rules = Fixtures.rules(confidence: 0.55)
        for mode in ["error500", "garbage", "big", "badschema"] {
            let (result, _) = call(try client(mode, maxBytes: 4096), input, Fixtures.prompt)
            let verdict = SafetyFloor.combine(rules: rules, model: result, mode: .on)
            XCTAssertEqual(verdict.classification, rules, mode)
            XCTAssertEqual(verdict.model.outcome, "failed", mode)
            XCTAssertFalse(verdict.model.used)
        }
    }

    func testAsyncCallAndARaisedUrgencyEndToEnd() async throws {
        let c = try client("crisis")
        let rules = Fixtures.rules(.general_info, confidence: 0.5)
        let result = await c.classify(input: ClassifyInput(text: "i just want it all to stop", rules: rules),
                                      prompt: Fixtures.prompt)
        let verdict = SafetyFloor.combine(rules: rules, model: result, mode: .on)
        XCTAssertEqual(verdict.classification.route, .emergency)
        XCTAssertEqual(verdict.classification.intent, .crisis)
        XCTAssertEqual(verdict.model.outcome, "used")
        XCTAssertEqual(verdict.model.name, "fake-model")
    }

    func testUnreadableKeyFileIsAConfigurationError() {
        XCTAssertThrowsError(try client("good", keyFile: server.dir + "/no-such-key")) { error in
            XCTAssertEqual((error as? ModelClientError)?.code, "api_key_unreadable")
        }
    }

    func testEndpointURLForms() {
        func url(_ s: String) -> String {
            ModelEndpointConfig(endpoint: URL(string: s)!, model: "m").chatCompletionsURL.absoluteString
        }
        XCTAssertEqual(url("http://127.0.0.1:8000"), "http://127.0.0.1:8000/v1/chat/completions")
        XCTAssertEqual(url("http://127.0.0.1:11434/v1"), "http://127.0.0.1:11434/v1/chat/completions")
        XCTAssertEqual(url("http://h:8000/v1/chat/completions"), "http://h:8000/v1/chat/completions")
    }
}
