import Foundation
import IntakeCore
import XCTest
@testable import ModelClient

final class CircuitBreakerTests: XCTestCase {
    func testStateMachine() {
        var b = CircuitBreaker(settings: .init(failureThreshold: 2, openSeconds: 10))
        let t0 = Date(timeIntervalSince1970: 0)
        XCTAssertEqual(b.admit(now: t0), .call)
        b.record(success: false, now: t0)
        b.record(success: true, now: t0)
        XCTAssertEqual(b.state, .closed(failures: 0), "a success resets the count")
        b.record(success: false, now: t0)
        b.record(success: false, now: t0)
        XCTAssertEqual(b.state, .open(until: t0 + 10))
        XCTAssertEqual(b.admit(now: t0 + 9.9), .reject)
        XCTAssertEqual(b.admit(now: t0 + 10), .probe)
        XCTAssertEqual(b.admit(now: t0 + 10), .reject, "one probe at a time")
        b.record(success: false, now: t0 + 11)
        XCTAssertEqual(b.state, .open(until: t0 + 21))
        XCTAssertEqual(b.admit(now: t0 + 21), .probe)
        b.record(success: true, now: t0 + 21.5)
        XCTAssertEqual(b.state, .closed(failures: 0))
        XCTAssertEqual(b.admit(now: t0 + 22), .call)
    }

    func testLateFailureDoesNotExtendAnOpenBreaker() {
        var b = CircuitBreaker(settings: .init(failureThreshold: 1, openSeconds: 10))
        let t0 = Date(timeIntervalSince1970: 0)
        b.record(success: false, now: t0)
        b.record(success: false, now: t0 + 5)
        XCTAssertEqual(b.state, .open(until: t0 + 10))
    }
}

final class AnswerSchemaTests: XCTestCase {
    func testStrictSchema() {
        XCTAssertEqual(try AnswerSchema.parse(content: #"{"intent":"billing","confidence":0.7,"rationale":"bill"}"#).get(),
                       ModelAnswer(intent: .billing, confidence: 0.7, rationale: "bill"))
        let bad: [(String, AnswerSchema.SchemaFailure)] = [
            (#"{"intent":"billing","confidence":0.7}"#, .keys),
            (#"{"intent":"billing","confidence":0.7,"rationale":"x","extra":1}"#, .keys),
            (#"{"intent":"pay_bill","confidence":0.7,"rationale":"x"}"#, .intent),
            (#"{"intent":"billing","confidence":1.5,"rationale":"x"}"#, .confidence),
            (#"{"intent":"billing","confidence":true,"rationale":"x"}"#, .confidence),
            (#"{"intent":"billing","confidence":"0.7","rationale":"x"}"#, .confidence),
            (#"{"intent":"billing","confidence":0.7,"rationale":"\#(String(repeating: "x", count: 201))"}"#, .rationale),
            ("```json\n{}\n```", .contentNotJSON), ("[1]", .contentNotJSON),
        ]
        for (content, why) in bad {
            guard case .failure(let got) = AnswerSchema.parse(content: content) else { XCTFail(content); continue }
            XCTAssertEqual(got, why, content)
        }
    }
}

final class ConsultPolicyTests: XCTestCase {
    let thresholds = ModelThresholds(thresholds: ["model.consult_below": 0.8, "ambiguity.margin": 0.1])

    func testWhenToConsult() {
        let on = ConsultPolicy(thresholds: thresholds, mode: .on)
        XCTAssertEqual(on.consult(Fixtures.rules(confidence: 0.79)), .lowConfidence)
        XCTAssertNil(on.consult(Fixtures.rules(confidence: 0.9)))
        XCTAssertEqual(on.consult(Fixtures.rules(confidence: 0.9, runnerUp: ScoredIntent(intent: .billing, confidence: 0.85))), .ambiguous)
        XCTAssertNil(on.consult(Fixtures.rules(.emergency, confidence: 0.3, route: .emergency)))
        XCTAssertNil(on.consult(Fixtures.rules(.crisis, confidence: 0.3, route: .human)))
        XCTAssertEqual(ConsultPolicy(thresholds: thresholds, mode: .shadow).consult(Fixtures.rules(confidence: 0.5)), .lowConfidence)
        XCTAssertNil(ConsultPolicy(thresholds: thresholds, mode: .off).consult(Fixtures.rules(confidence: 0.1)))
        XCTAssertEqual(thresholds.minModelConfidence, 0.6, "absent names keep their defaults")
    }
}

final class SafetyFloorTests: XCTestCase {
    private func result(_ intent: Intent, _ confidence: Double = 0.9) -> ModelResult {
        ModelResult(outcome: .answer(ModelAnswer(intent: intent, confidence: confidence, rationale: "r")),
                    model: "m", promptVersion: "sha256:p", latencyMs: 42)
    }

    func testNeverLowersOrOverridesAnEmergencyOrCrisis() {
        for rules in [Fixtures.rules(.emergency, confidence: 0.9, route: .emergency),
                      Fixtures.rules(.crisis, confidence: 0.4, route: .human)] {
            let v = SafetyFloor.combine(rules: rules, model: result(.general_info, 0.99), mode: .on)
            XCTAssertEqual(v.classification, rules)
            XCTAssertEqual(v.model.outcome, "overruled")
            XCTAssertFalse(v.model.used)
        }
    }

    func testNeverAutomatesWhatRulesSendToHumans() {
        for conf in [0.3, 0.95] {
            let rules = Fixtures.rules(.clinical_question, confidence: conf, route: .human)
            for intent in Intent.allCases where !SafetyFloor.isEmergency(intent) {
                let v = SafetyFloor.combine(rules: rules, model: result(intent, 1.0), mode: .on)
                XCTAssertEqual(v.classification.route, .human, "\(intent)")
                XCTAssertGreaterThanOrEqual(v.classification.priority ?? .normal, rules.priority ?? .normal)
            }
        }
    }

    func testMayRaiseUrgency() {
        let rules = Fixtures.rules(.book_appointment, confidence: 0.6, route: .automate)
        let crisis = SafetyFloor.combine(rules: rules, model: result(.crisis, 0.8), mode: .on)
        XCTAssertEqual(crisis.classification.route, .emergency)
        XCTAssertEqual(crisis.classification.intent, .crisis)
        XCTAssertEqual(crisis.classification.priority, .urgent)
        XCTAssertEqual(crisis.model, ModelUse(used: true, name: "m", prompt_version: "sha256:p", latency_ms: 42, outcome: "used"))
        XCTAssertEqual(SafetyFloor.combine(rules: rules, model: result(.emergency, 0.3), mode: .on).classification.route, .human)

        let disagree = SafetyFloor.combine(rules: rules, model: result(.billing, 0.9), mode: .on)
        XCTAssertEqual(disagree.classification.route, .human)
        XCTAssertEqual(disagree.classification.reasons.last?.code, "model.disagrees")
        let unsure = SafetyFloor.combine(rules: rules, model: result(.billing, 0.4), mode: .on)
        XCTAssertEqual(unsure.classification, rules)
        XCTAssertEqual(unsure.model.outcome, "ignored")
        let agree = SafetyFloor.combine(rules: rules, model: result(.book_appointment), mode: .on)
        XCTAssertEqual(agree.classification.route, .automate)
        XCTAssertEqual(agree.model.outcome, "used")
    }

    func testRelabelsUnsureHumanDecisions() {
        let rules = Fixtures.rules(.other, confidence: 0.3, route: .human)
        let v = SafetyFloor.combine(rules: rules, model: result(.billing, 0.9), mode: .on)
        XCTAssertEqual(v.classification.intent, .billing)
        XCTAssertEqual(v.classification.route, .human)
        XCTAssertEqual(v.classification.runnerUp?.intent, .other)
    }

    func testShadowOffAndFailure() {
        let rules = Fixtures.rules(confidence: 0.5)
        let shadow = SafetyFloor.combine(rules: rules, model: result(.crisis), mode: .shadow)
        XCTAssertEqual(shadow.classification, rules)
        XCTAssertEqual(shadow.model.outcome, "shadow")
        XCTAssertFalse(shadow.model.used)
        XCTAssertEqual(SafetyFloor.combine(rules: rules, model: result(.crisis), mode: .off).model, ModelUse())
        let failed = ModelResult(outcome: .failed("timeout"), model: "m", promptVersion: "v", latencyMs: 1500)
        let v = SafetyFloor.combine(rules: rules, model: failed, mode: .on)
        XCTAssertEqual(v.classification, rules)
        XCTAssertEqual(v.model.outcome, "failed")
        XCTAssertEqual(v.model.latency_ms, 1500)
    }
}
