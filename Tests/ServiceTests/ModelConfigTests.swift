import XCTest
import IntakeCore
import ModelClient
import RuleEngine
@testable import Service

/// The `[model]` keys added for the model endpoint, and the queue a raised route takes.
final class ModelConfigTests: XCTestCase {
    func testModelKeysParseWithDefaults() throws {
        let base = "[model]\nendpoint = http://127.0.0.1:8000/v1\nmodel = m\n"
        let plain = try ConfigParser.parse(base, file: "a.conf").get()
        XCTAssertEqual(plain.model?.mode, .on)
        XCTAssertEqual(plain.model?.maxResponseBytes, 65536)
        XCTAssertEqual(plain.model?.concurrency, 4)
        let set = try ConfigParser.parse(base + "mode = shadow\nmax_response_bytes = 2048\nconcurrency = 2\n", file: "a.conf").get()
        XCTAssertEqual(set.model?.mode, .shadow)
        XCTAssertEqual(set.model?.maxResponseBytes, 2048)
        XCTAssertEqual(set.model?.concurrency, 2)
    }

    func testBadModelKeysReportFileAndLine() {
        let base = "[model]\nendpoint = http://127.0.0.1:8000/v1\nmodel = m\n"
        for (extra, message) in [("mode = maybe", "'mode' must be off, shadow or on"),
                                 ("max_response_bytes = 10", "'max_response_bytes' must be a whole number from 1024 to 16777216"),
                                 ("concurrency = 0", "'concurrency' must be a whole number from 1 to 256")] {
            guard case .failure(let errors) = ConfigParser.parse(base + extra + "\n", file: "a.conf") else {
                XCTFail(extra); continue
            }
            XCTAssertEqual(errors.map(\.description), ["a.conf:4: \(message)"])
        }
    }

    func testRaisedRouteTakesThePolicyQueue() throws {
        let rules = try RuleSet.compile(sources: [("p.rules", """
        policy crisis route emergency queue crisis priority urgent
        policy billing route human queue billing priority normal
        """)]).get()
        let automated = Classification(intent: .billing, confidence: 0.9, route: .automate, rulesVersion: "v")
        var raised = automated
        raised.intent = .crisis; raised.route = .emergency; raised.priority = .urgent; raised.queue = nil
        let out = ModelRouting.routeRaised(raised, rules: automated, ruleSet: rules)
        XCTAssertEqual(out.queue, "crisis")
        XCTAssertEqual(out.priority, .urgent)
        XCTAssertEqual(out.reasons.last?.code, "model.queue")
        XCTAssertEqual(out.reasons.last?.rule, "p.rules:1")

        // No policy for the intent: the documented fallback, and the decision says so.
        var human = automated
        human.intent = .greeting; human.route = .human
        let fallback = ModelRouting.routeRaised(human, rules: automated, ruleSet: rules)
        XCTAssertEqual(fallback.queue, ModelRouting.fallbackQueue)
        XCTAssertEqual(fallback.priority, .normal)
        XCTAssertNil(fallback.reasons.last?.rule)

        // The rules' own decision is left alone.
        XCTAssertEqual(ModelRouting.routeRaised(automated, rules: automated, ruleSet: rules), automated)
    }
}
