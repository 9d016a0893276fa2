import Foundation
import XCTest
import IntakeCore
@testable import RuleEngine

/// The rule set's read side (thresholds, templates, summaries) and its behaviour under load.
final class RuleSetTests: XCTestCase {
    func testStarterThresholdsAndTemplates() {
        let r = Repo.starter
        XCTAssertEqual(r.threshold("automate.min_confidence"), 0.70)
        XCTAssertEqual(r.threshold("automate.max_complexity"), 0.50)
        XCTAssertEqual(r.threshold("automate.max_sensitivity"), 0.40)
        for name in ["model.consult_below", "ambiguity.margin", "asr.min_confidence", "booking.hold_minutes",
                     "booking.max_failed_turns", "sla.clinical.high", "sla.emergency.urgent"] {
            XCTAssertNotNil(r.threshold(name), name)
        }
        XCTAssertNil(r.threshold("no.such"))
        let keys = ["reply.emergency", "reply.crisis", "reply.escalated", "reply.acknowledged", "reply.clarify",
                    "reply.clarify.service", "reply.no_slots", "reply.reschedule", "reply.cancel", "reply.opt_out",
                    "reply.general_info", "reply.appointment_inquiry", "reply.greeting", "reply.offer_slots",
                    "reply.booked", "reply.slot_taken", "reply.cancelled", "reply.ask_time"]
        for key in keys {
            for language in ["en", "es"] { XCTAssertNotNil(r.template(key: key, language: language), "\(key) \(language)") }
        }
        // The booking dialogue's replies (35-booking-replies.rules) are checked by the booking tests.
        let dialogue = ["booking.", "cancel.", "reschedule."]
        XCTAssertEqual(Set(r.templateKeys.filter { key in !dialogue.contains { key.hasPrefix($0) } }), Set(keys))
        XCTAssertTrue(r.template(key: "reply.offer_slots", language: "en")!.contains("{slots}"))
        for p in ["{when}", "{provider}", "{location}"] { XCTAssertTrue(r.template(key: "reply.booked", language: "es")!.contains(p)) }
        XCTAssertNil(r.template(key: "reply.greeting", language: "fr"))
    }

    func testRoutingPolicyByIntent() {
        let r = Repo.starter
        let emergency = r.routing(for: .emergency)
        XCTAssertEqual(emergency?.queue, "emergency")
        XCTAssertEqual(emergency?.priority, .urgent)
        XCTAssertTrue(emergency?.citation.hasPrefix("10-policy.rules:") == true, emergency?.citation ?? "nil")
        XCTAssertEqual(r.routing(for: .book_appointment)?.queue, "scheduling")
        let bare = try! RuleSet.compile(sources: [("x.rules", "threshold t = 1\n")]).get()
        XCTAssertNil(bare.routing(for: .billing))
    }

    func testFileSummaries() {
        let r = Repo.starter
        XCTAssertEqual(r.files.map(\.file), r.files.map(\.file).sorted())
        XCTAssertEqual(r.files.reduce(0) { $0 + $1.rules }, r.ruleCount)
        XCTAssertTrue(r.files.allSatisfy { $0.sha256.count == 64 })
        XCTAssertEqual(r.fileSummaries.count, r.files.count)
    }

    func testClassifyIsThreadSafeAndDeterministic() {
        let texts = ["my chest hurts", "book derm next week", "refill please", "hola quiero una cita", "STOP"]
        let expected = texts.map(classify)
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let t = texts[i % texts.count]
            if classify(t) != expected[i % texts.count] { mismatches.add() }
        }
        XCTAssertEqual(mismatches.count, 0)
    }

    /// Classification cost stays nearly flat as rules grow (phrases indexed in a trie, rules by phrase).
    func testCostGrowsLittleWithHundredTimesTheRules() throws {
        let texts = ["Can I get a dermatology appointment next week, mornings?", "my chest hurts and I'm sweating",
                     "uh hi i need to um reschedule my appointment on friday", "necesito cancelar mi cita del jueves"]
        let sources = try readSources()
        let base = try RuleSet.compile(sources: sources).get()
        var scaled = sources
        scaled.append(("zz.rules", (0..<(base.ruleCount * 100)).map {
            "rule syn_\($0) intent billing weight 1 : \"zq\($0) alpha\" | \"zq\($0)b\" .. \"zq\($0)c\"\n"
        }.joined()))
        let big = try RuleSet.compile(sources: scaled).get()
        XCTAssertEqual(big.ruleCount, base.ruleCount * 101)
        for t in texts { XCTAssertEqual(big.classify(t, sentAt: mondayMorning, timeZone: newYork).intent,
                                        base.classify(t, sentAt: mondayMorning, timeZone: newYork).intent) }
        let small = median(base, texts), large = median(big, texts)
        XCTAssertLessThan(large, small * 3 + 20, "median \(small) us with starter rules, \(large) us with 100x")
    }

    /// A windowed context looks only in the match's clause; an `anywhere` context in the whole message.
    func testAnywhereContextCancelsAcrossClauses() throws {
        let rules = try RuleSet.compile(sources: [("t.rules", """
        policy crisis route emergency queue crisis priority urgent
        policy other route human queue front_desk
        context donation_near before 6 = "donate", "donation", "donations"
        context donation_anywhere anywhere = "donate", "donation", "donations"
        rule near intent crisis weight 3 unless donation_near : "giving away" .. "stuff"
        rule far intent crisis weight 3 unless donation_anywhere : "giving" .. "belongings"
        rule o intent other weight 0.5 : "do you"
        """)]).get()
        func intent(_ text: String) -> Intent { rules.classify(text, sentAt: mondayMorning, timeZone: newYork).intent }
        XCTAssertEqual(intent("for the donation drive I am giving away my stuff"), .other, "same clause, within the window")
        XCTAssertEqual(intent("giving away my stuff. do you take donations?"), .crisis, "a windowed context stops at the clause")
        XCTAssertEqual(intent("giving away my belongings. do you take donations?"), .other, "anywhere looks across clauses")
        XCTAssertEqual(intent("do you take donations? I am giving away all my belongings"), .other)
        XCTAssertEqual(intent("I am giving away all my belongings"), .crisis)
    }

    private func readSources() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Repo.rulesDir).filter { $0.hasSuffix(".rules") }.sorted()
        return try names.map { ($0, try String(contentsOfFile: Repo.rulesDir + "/" + $0, encoding: .utf8)) }
    }

    private func median(_ rules: RuleSet, _ texts: [String]) -> Double {
        var samples: [Double] = []
        for _ in 0..<30 {
            for t in texts {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = rules.classify(t, sentAt: mondayMorning, timeZone: newYork)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            }
        }
        return samples.sorted()[samples.count / 2]
    }
}

/// A counter shared by concurrent test iterations; the lock guards `value`.
final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
