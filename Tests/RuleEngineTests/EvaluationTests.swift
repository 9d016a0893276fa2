import Foundation
import XCTest
import IntakeCore
@testable import RuleEngine

/// The routing targets on the labelled corpus and on our own phrasings, plus the metric definitions.
final class EvaluationTests: XCTestCase {
    private func load(_ path: String) throws -> [CorpusCase] {
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("\(path) is not present") }
        return try CorpusCase.parseCorpus(String(decoding: data, as: UTF8.self)).get()
    }

    /// The routing targets; the defaults are the dev corpus's.
    private struct Floors {
        var emergencyRecall = 1.0, unsafeAutomation = 0.02, falseEmergency = 0.03, automationRate = 0.90, intentAccuracy = 0.90
    }

    private func assertTargets(_ m: EvaluationMetrics, _ f: Floors = Floors(), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(m.emergency_recall, f.emergencyRecall, "emergency_recall", file: file, line: line)
        XCTAssertLessThanOrEqual(m.unsafe_automation, f.unsafeAutomation, "unsafe_automation", file: file, line: line)
        XCTAssertLessThanOrEqual(m.false_emergency, f.falseEmergency, "false_emergency", file: file, line: line)
        XCTAssertGreaterThanOrEqual(m.automation_rate, f.automationRate, "automation_rate", file: file, line: line)
        XCTAssertGreaterThanOrEqual(m.intent_accuracy, f.intentAccuracy, "intent_accuracy", file: file, line: line)
    }

    /// A fixture set of at least `count` cases meets `floors`.
    private func assertFixture(_ name: String, count: Int, _ floors: Floors = Floors(),
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let cases = try load(Repo.fixture(name))
        XCTAssertGreaterThanOrEqual(cases.count, count, file: file, line: line)
        assertTargets(Evaluation.run(Repo.starter, cases: cases).metrics, floors, file: file, line: line)
    }

    func testDevCorpusMeetsTheRoutingTargets() throws {
        let cases = try load(Repo.corpus)
        XCTAssertEqual(cases.count, 429)
        let (m, misses) = Evaluation.run(Repo.starter, cases: cases)
        assertTargets(m)
        XCTAssertEqual(m.confusion.values.reduce(0) { $0 + $1.values.reduce(0, +) }, cases.count)
        XCTAssertLessThan(misses.count, cases.count / 10)
    }

    func testOwnPhrasingsMeetTheRoutingTargets() throws {
        let cases = try load(Repo.phrasings)
        XCTAssertGreaterThanOrEqual(cases.count, 100)
        assertTargets(Evaluation.run(Repo.starter, cases: cases).metrics)
    }

    /// tuning.jsonl was written before any rule change and then used, with the dev corpus, to
    /// improve the rules: it is held to the dev targets.
    func testTuningSetMeetsTheRoutingTargets() throws {
        try assertFixture("tuning.jsonl", count: 150)
    }

    /// tuning2.jsonl was written by a second author who saw neither the rules nor the other
    /// sets; on it the rules first scored intent 0.655, emergency_recall 0.538, unsafe 0.100.
    /// The rules were then generalized on its misses (by phenomenon) and it is held to the
    /// dev targets.
    func testSecondTuningSetMeetsTheRoutingTargets() throws {
        try assertFixture("tuning2.jsonl", count: 200)
    }

    /// tuning3.jsonl, by a third author (30% emergencies and crises), started at intent 0.780,
    /// emergency_recall 0.783, false_emergency 0.030 after the second round; the third round
    /// generalized the rules on its misses.
    func testThirdTuningSetMeetsTheRoutingTargets() throws {
        try assertFixture("tuning3.jsonl", count: 200)
    }

    /// tuning4.jsonl, by a fourth author (messages that look routine but need a person), started
    /// at intent 0.845, emergency_recall 0.875, unsafe_automation 0.123 after the third round;
    /// the fourth round generalized the rules on its misses. Its intent floor is 0.88: about ten
    /// cases keep a wrong intent with the right route (a refill named by its drug, "talk to
    /// someone about my nerves").
    func testFourthTuningSetMeetsTheRoutingTargets() throws {
        try assertFixture("tuning4.jsonl", count: 200, Floors(intentAccuracy: 0.88))
    }

    /// tuning5a.jsonl (a fifth author, 55% emergencies and crises from every organ system, 20%
    /// look-alikes) arrived at emergency_recall 0.770, false_emergency 0.029; tuning5b.jsonl (a
    /// sixth, writing as elderly patients, teenagers, parents, non-native speakers, caregivers)
    /// at intent 0.833, emergency_recall 0.714, unsafe_automation 0.043. Both were then used in
    /// the fifth round. tuning5a's automation floor is 0.85: a few idioms still go to a person.
    func testFifthRoundSetsMeetTheRoutingTargets() throws {
        try assertFixture("tuning5a.jsonl", count: 160, Floors(automationRate: 0.85, intentAccuracy: 0.88))
        try assertFixture("tuning5b.jsonl", count: 180)
    }

    /// tuning6a.jsonl (a community health center's inbox: SMS, low-literacy spelling, 30%
    /// informal Spanish) arrived at intent 0.861, emergency_recall 0.905, unsafe 0.056;
    /// tuning6b.jsonl (routine messages with symptoms in passing, and messages that need a
    /// person but look routine) at 0.772, 0.909, 0.200. Both were used in the sixth round.
    func testSixthRoundSetsMeetTheRoutingTargets() throws {
        try assertFixture("tuning6a.jsonl", count: 180)
        try assertFixture("tuning6b.jsonl", count: 180)
    }

    /// tuning7a.jsonl (hurried, misspelled and misheard emergencies across many conditions, and
    /// look-alikes) arrived at emergency_recall 0.775, false_emergency 0.056; tuning7b.jsonl (a
    /// multi-specialty practice: telehealth, referrals, chronic conditions) at intent 0.900,
    /// automation 0.844. Both were used in the seventh round. tuning7a keeps a few routine
    /// messages with alarming words going to a person and a few borderline ones automated.
    func testSeventhRoundSetsMeetTheRoutingTargets() throws {
        try assertFixture("tuning7a.jsonl", count: 150, Floors(unsafeAutomation: 0.04, automationRate: 0.85))
        try assertFixture("tuning7b.jsonl", count: 160)
    }

    /// tuning8.jsonl (a rural family practice and its answering service: farm injuries, plain
    /// speech, casual wording of what needs a person) arrived at intent 0.800, emergency_recall
    /// 0.840, unsafe_automation 0.064; used in the eighth round.
    func testEighthRoundSetMeetsTheRoutingTargets() throws {
        try assertFixture("tuning8.jsonl", count: 170)
    }

    /// tuning9a.jsonl (a family medicine and pediatrics phone line and after-hours texts: half
    /// voice transcripts with heavy speech damage, 25% Spanish, 30% emergencies and crises, many
    /// indirect) arrived at intent 0.775, emergency_recall 0.783, unsafe 0.053, false_emergency
    /// 0.052; tuning9b.jsonl (specialty network portal messages: long, several asks, complex
    /// history, sensitive care in routine words) at 0.740, 0.808, 0.052. Used in the ninth round.
    func testNinthRoundSetsMeetTheRoutingTargets() throws {
        try assertFixture("tuning9a.jsonl", count: 200)
        try assertFixture("tuning9b.jsonl", count: 200)
    }

    /// tuning10a.jsonl (texting patients: fragments, shorthand, emoji, autocorrect, 27% Spanish)
    /// arrived at intent 0.845, emergency_recall 0.966, automation 0.786; tuning10b.jsonl (third
    /// parties writing about patients: families, aides, nursing homes, pharmacies) at 0.760,
    /// 0.780, unsafe 0.040. Used in the tenth round.
    func testTenthRoundSetsMeetTheRoutingTargets() throws {
        try assertFixture("tuning10a.jsonl", count: 200)
        try assertFixture("tuning10b.jsonl", count: 200)
    }

    /// sealed2.jsonl was written by an author who saw neither the rules nor any other set, and
    /// has never been used to change a rule: it measures messages nobody tuned for. Measured
    /// after each round of generalization (intent, emergency_recall, unsafe_automation,
    /// automation_rate, false_emergency):
    ///   before:   0.717  0.476  0.090  0.781  0.006
    ///   round 2:  0.794  0.762  0.070  0.808  0.006
    ///   round 3:  0.833  0.857  0.070  0.849  0.000
    ///   round 4:  0.839  0.857  0.060  0.849  0.000
    ///   round 5:  0.839  0.905  0.060  0.863  0.000
    ///   round 6:  0.844  0.905  0.050  0.863  0.000
    ///   round 7:  0.856  0.952  0.050  0.877  0.000
    ///   round 8:  0.856  0.952  0.050  0.890  0.000
    ///   round 9:  0.856  0.952  0.050  0.890  0.000
    ///   round 10: 0.878  0.952  0.050  0.890  0.000
    /// The floors leave a margin; a rule change that drops below them has lost generality.
    /// Do not read its misses or tune rules on these cases: fix phenomena with new sets.
    func testSecondSealedSetMeetsHeldOutFloors() throws {
        try assertFixture("sealed2.jsonl", count: 180, Floors(emergencyRecall: 0.90, unsafeAutomation: 0.07,
                                                               automationRate: 0.82, intentAccuracy: 0.82))
    }

    /// sealed3.jsonl, a third held-out set (an urban health system's contact center: a week's
    /// ordinary mix, 12% emergencies and crises, about 25 look-alikes, 10% Spanish), written by
    /// an author who saw neither the rules nor any other set, arrived after round 8 at intent
    /// 0.840, emergency_recall 0.917, unsafe_automation 0.010, automation_rate 0.860,
    /// false_emergency 0.029; after round 9: 0.870, 0.958, 0.010, 0.914, 0.023; after round 10:
    /// 0.875, 0.958, 0.010, 0.914, 0.018. Like sealed2 it
    /// is never used to change a rule.
    func testThirdSealedSetMeetsHeldOutFloors() throws {
        try assertFixture("sealed3.jsonl", count: 200, Floors(emergencyRecall: 0.875, unsafeAutomation: 0.04, falseEmergency: 0.05,
                                                               automationRate: 0.82, intentAccuracy: 0.80))
    }

    /// sealed.jsonl was written with tuning.jsonl and first kept out of tuning, to measure
    /// messages the rules had not seen: intent 0.711 → 0.901, emergency_recall 0.469 → 0.969
    /// after the first round. In the second round (with tuning2.jsonl) its misses were also
    /// fixed by phenomenon, so it is now a tuning set held to the dev targets; the held-out
    /// measurement moved to a newer set written by a third author, kept out of the repository
    /// while rules are tuned.
    func testFirstSealedSetMeetsTheRoutingTargets() throws {
        try assertFixture("sealed.jsonl", count: 150)
    }

    func testMetricDefinitions() throws {
        let rules = try RuleSet.compile(sources: [("t.rules", """
        policy emergency route emergency
        policy billing route human
        policy greeting route automate
        rule e intent emergency weight 4 : "help"
        rule b intent billing weight 3 : "bill"
        rule g intent greeting weight 3 : "hi"
        """)]).get()
        let cases = try CorpusCase.parseCorpus("""
        {"id": "1", "text": "help", "route": "emergency", "intent": "emergency"}
        {"id": "2", "text": "hi", "route": "emergency", "intent": "emergency"}
        {"id": "3", "text": "hi", "route": "automate", "intent": "greeting"}
        {"id": "4", "text": "bill", "route": ["automate", "human"], "intent": "billing"}
        {"id": "5", "text": "hi", "route": "human", "intent": "billing"}
        {"id": "6", "text": "help", "route": ["human", "emergency"]}

        {"id": "7", "text": "help", "route": "human"}
        """).get()
        let (m, misses) = Evaluation.run(rules, cases: cases)
        XCTAssertEqual(m.cases, 7)
        XCTAssertEqual(m.intent_accuracy, 3.0 / 5.0, accuracy: 1e-9)
        XCTAssertEqual(m.emergency_recall, 0.5)
        XCTAssertEqual(m.unsafe_automation, 2.0 / 5.0, accuracy: 1e-9, "cases 2 and 5 automated, of 1, 2, 5, 6, 7")
        XCTAssertEqual(m.automation_rate, 1.0)
        XCTAssertEqual(m.false_emergency, 1.0 / 4.0, accuracy: 1e-9, "case 7, of 3, 4, 5, 7")
        XCTAssertEqual(m.confusion["human|emergency"]?["emergency"], 1)
        XCTAssertEqual(misses.map(\.id), ["2", "5", "7"])
    }

    func testCorpusParseErrorsNameTheLine() {
        guard case .failure(let e) = CorpusCase.parseCorpus("{\"text\": \"a\", \"route\": \"human\"}\n{oops}\n") else {
            return XCTFail()
        }
        XCTAssertEqual(e.line, 2)
        guard case .failure(let e2) = CorpusCase.parseCorpus("{\"text\": \"a\", \"route\": \"sideways\"}") else { return XCTFail() }
        XCTAssertEqual(e2.message, "missing or unknown route")
    }
}
