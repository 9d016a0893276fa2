import Foundation
import XCTest
import IntakeCore
@testable import RuleEngine

/// One test per language phenomenon of the routing policy, on the committed starter rules.
final class PhenomenaTests: XCTestCase {
    private func assertRoute(_ text: String, _ route: Route, _ intent: Intent? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let c = classify(text)
        XCTAssertEqual(c.route, route, "\(text) -> \(c.intent) \(c.confidence) \(c.reasons.map(\.code))", file: file, line: line)
        if let intent { XCTAssertEqual(c.intent, intent, text, file: file, line: line) }
    }

    func testNegationCancelsEmergencyWords() {
        assertRoute("no chest pain, just a physical please", .automate, .book_appointment)
        assertRoute("I'm not suicidal, I just need a refill", .human, .prescription_refill)
        assertRoute("not short of breath, just a cough for a week, should i come in?", .human, .clinical_question)
        // Negation is scoped to its clause: a later symptom still counts.
        assertRoute("no fever, but now I can't breathe", .emergency, .emergency)
    }

    func testPastAndFamilyHistoryAreNotEmergencies() {
        assertRoute("I had a stroke two years ago and need a neurology follow-up", .automate, .book_appointment)
        assertRoute("my dad had a heart attack, can I get a cardiology checkup?", .automate, .book_appointment)
        assertRoute("had chest pain last month, the ER said reflux, want to book GI", .automate, .book_appointment)
        assertRoute("my father died of a heart attack, I'd like a heart screening", .automate, .book_appointment)
    }

    func testTopicMentionsAreNotEmergencies() {
        assertRoute("do you have a stroke clinic?", .automate, .general_info)
        assertRoute("What are the warning signs of a stroke? it's for a class", .automate)
    }

    func testHappeningNowToSomeoneWithThePatientIsAnEmergency() {
        assertRoute("my husband's face is drooping", .emergency, .emergency)
        assertRoute("I think my mom is having a stroke", .emergency, .emergency)
    }

    func testEmergenciesWithoutKeywords() {
        assertRoute("the left side of her face went numb and she can't lift her arm", .emergency, .emergency)
        assertRoute("crushing feeling since this morning and my jaw aches", .emergency, .emergency)
        assertRoute("he took a bunch of pills and he's not waking up", .emergency, .emergency)
    }

    func testEmergencyInsideABookingWins() {
        let c = classify("can I book an appointment for tomorrow? my chest feels heavy and tight")
        XCTAssertEqual(c.route, .emergency)
        XCTAssertEqual(c.intent, .emergency)
        XCTAssertEqual(c.queue, "emergency")
        XCTAssertEqual(c.priority, .urgent)
    }

    func testIndirectCrisisButNotIdioms() {
        assertRoute("everyone would be better off without me", .emergency, .crisis)
        assertRoute("I've been giving my stuff away", .emergency, .crisis)
        assertRoute("i just don't want to be here anymore", .emergency, .crisis)
        assertRoute("this wait is killing me", .human, .complaint)
        assertRoute("dying to know my test results", .human, .test_results)
        assertRoute("this bill is giving me a heart attack", .human, .billing)
    }

    func testMisspellings() {
        assertRoute("chest pian since an hour", .emergency, .emergency)
        assertRoute("cant breath", .emergency, .emergency)
        assertRoute("I need an apointment with dermatology", .automate, .book_appointment)
        assertRoute("i need to reschedual my appointment on friday", .automate, .reschedule_appointment)
    }

    func testShorthand() {
        assertRoute("need appt tmrw w dr kim pls", .automate, .book_appointment)
        assertRoute("cancel my appt thx", .automate, .cancel_appointment)
        XCTAssertEqual(classify("need appt tmrw w dr kim pls").entities.provider, "Dr. Kim")
    }

    func testSpeechRecognitionNoise() {
        assertRoute("um uh hi i i need to to make an appointment with the the skin doctor um next week", .automate, .book_appointment)
        XCTAssertEqual(classify("um uh hi i i need to to make an appointment with the the skin doctor um next week").entities.service, "dermatology")
        assertRoute("uh my my dad he um he can't move his his arm", .emergency, .emergency)
    }

    func testSpanishAndMixed() {
        let c = classify("hola, quisiera una cita con el dermatologo para el viernes por la mañana")
        XCTAssertEqual(c.route, .automate)
        XCTAssertEqual(c.intent, .book_appointment)
        XCTAssertEqual(c.entities.language, "es")
        XCTAssertEqual(c.entities.time_window?.part_of_day, ["morning"])
        assertRoute("necesito cancelar mi cita del jueves", .automate, .cancel_appointment)
        assertRoute("me duele mucho el pecho", .emergency, .emergency)
        assertRoute("quiero hablar con una persona", .human, .human_request)
        assertRoute("hi, necesito una cita for my son with the pediatra", .automate, .book_appointment)
        XCTAssertEqual(classify("where is my appointment tomorrow").entities.language, "en")
    }

    func testSeveralRequestsAreComplex() {
        let c = classify("I need to reschedule my eye exam and also cancel my son's dentist visit")
        XCTAssertEqual(c.route, .human)
        XCTAssertGreaterThan(c.complexity, 0.5)
        XCTAssertTrue(c.reasons.contains { $0.code.hasPrefix("complexity.") })
        assertRoute("need flu shots for me and my 3 kids, any saturday", .human, .book_appointment)
    }

    func testSensitiveBookingsGoToStaff() {
        let c = classify("I'd like to schedule an HIV test, is it confidential?")
        XCTAssertEqual(c.intent, .book_appointment)
        XCTAssertEqual(c.route, .human)
        XCTAssertGreaterThan(c.sensitivity, 0.4)
        XCTAssertEqual(c.queue, "scheduling")
        let reason = c.reasons.first { $0.code == "threshold.automate.max_sensitivity" }
        XCTAssertEqual(reason?.value, 0.40)
        XCTAssertEqual(reason?.rule, "10-policy.rules:6")
    }

    func testReasonsCiteRulesWithPlainWords() {
        let c = classify("Can I get a dermatology appointment next week, mornings?")
        XCTAssertEqual(c.route, .automate)
        XCTAssertEqual(c.rulesVersion, Repo.starter.version)
        let intentReasons = c.reasons.filter { $0.code == "intent.book_appointment" }
        XCTAssertFalse(intentReasons.isEmpty)
        for r in intentReasons {
            XCTAssertNotNil(r.rule?.range(of: #"^30-booking\.rules:\d+$"#, options: .regularExpression), r.rule ?? "nil")
            XCTAssertTrue(r.detail?.contains("matched '") ?? false)
            XCTAssertNotNil(r.value)
        }
        XCTAssertGreaterThanOrEqual(c.confidence, 0.7)
        XCTAssertLessThanOrEqual(c.confidence, 1)
    }

    func testRunnerUpAndUnknownText() {
        let c = classify("I got a bill for my visit but I think my insurance should cover it")
        XCTAssertNotNil(c.runnerUp)
        XCTAssertNotEqual(c.runnerUp?.intent, c.intent)
        let unknown = classify("zxqv blorp")
        XCTAssertEqual(unknown.intent, .other)
        XCTAssertEqual(unknown.route, .human)
        XCTAssertLessThan(unknown.confidence, 0.7)
    }

    func testLayDescriptionsOfEmergencies() {
        assertRoute("my chest is killing me and i'm sweating", .emergency, .emergency)
        assertRoute("feels like a band around my chest", .emergency, .emergency)
        assertRoute("my grandma can't get her words out and her face looks off", .emergency, .emergency)
        assertRoute("um my my husband just just fell over and he he's not talking", .emergency, .emergency)
        assertRoute("she has a terrible headache out of nowhere and her neck is stiff", .emergency, .emergency)
        assertRoute("accidentally drank lighter fluid", .emergency, .emergency)
        assertRoute("el bebe tiene 3 semanas y tiene fiebre", .emergency, .emergency)
        assertRoute("me corte la mano y no para de salir sangre", .emergency, .emergency)
        // "20 min ago" is now, not history.
        assertRoute("my mom's speech is all garbled and her arm went weak like 20 min ago", .emergency, .emergency)
    }

    func testCrisisParaphrasesAndThirdParties() {
        assertRoute("hola mi hijo dice que se quiere matar", .emergency, .crisis)
        assertRoute("my brother is talking about ending his life", .emergency, .crisis)
        assertRoute("tengo ganas de morirme", .emergency, .crisis)
        assertRoute("i have pills saved up and i'm ready to use them", .emergency, .crisis)
        assertRoute("I can't do this anymore, I feel so alone", .emergency, .crisis)
    }

    func testFrustrationAndMentionsAreNotEmergencies() {
        assertRoute("cant take it anymore with these hold times lol", .human)
        assertRoute("the website isn't working, I can't do this anymore, just book me a derm visit", .automate, .book_appointment)
        assertRoute("i'm pregnant and have some mild cramps, is that normal", .human, .clinical_question)
        assertRoute("I'm sweating a lot lately at night and my chest x ray was normal, should i worry", .human)
        assertRoute("I accidentally swallowed my gum lol", .human)
        assertRoute("Is there a chest pain clinic at your hospital?", .automate, .general_info)
    }

    func testTheScheduleAsANounIsNotABooking() {
        assertRoute("I'm not going to be able to come in Friday, please take me off the schedule.", .automate, .cancel_appointment)
    }
}
