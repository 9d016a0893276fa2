import Foundation
import XCTest
import IntakeCore
@testable import RuleEngine

/// Entities and time windows, resolved against Monday 2 March 2026 09:00 in New York
/// (daylight saving time starts on Sunday 8 March, so "next week" is in EDT).
final class EntityTests: XCTestCase {
    private func window(_ text: String) -> TimeWindow? { classify(text).entities.time_window }

    func testServicesFromLayWords() {
        XCTAssertEqual(classify("I want to see the skin doc about a mole").entities.service, "dermatology")
        XCTAssertEqual(classify("need to get my sugar checked").entities.service, "endocrinology")
        XCTAssertEqual(classify("can someone look at my knee").entities.service, "orthopedics")
        XCTAssertEqual(classify("physical therapy for my knee please").entities.service, "physical_therapy",
                       "the longest phrase wins")
        XCTAssertNil(classify("I need an appointment").entities.service)
    }

    func testLocationProviderPatientAndWhoFor() {
        let e = classify("new patient here, can my son see Dr. Patel at the Riverside clinic?").entities
        XCTAssertEqual(e.location, "riverside")
        XCTAssertEqual(e.provider, "Dr. Patel")
        XCTAssertEqual(e.new_patient, true)
        XCTAssertEqual(e.visit_for, "child")
        XCTAssertEqual(classify("book me and my husband and my daughter for flu shots").entities.visit_for, "multiple")
        XCTAssertEqual(classify("follow up with my doctor").entities.new_patient, false)
    }

    func testTomorrowAndToday() {
        XCTAssertEqual(window("appt tmrw?")?.from, "2026-03-03T00:00:00-05:00")
        XCTAssertEqual(window("appt tmrw?")?.to, "2026-03-04T00:00:00-05:00")
        XCTAssertEqual(window("anything today")?.from, "2026-03-02T00:00:00-05:00")
    }

    func testWeekdaysAndWeeks() {
        let friday = window("can I come in friday")
        XCTAssertEqual(friday?.from, "2026-03-06T00:00:00-05:00")
        XCTAssertEqual(friday?.to, "2026-03-07T00:00:00-05:00")
        XCTAssertEqual(window("on monday")?.from, "2026-03-09T00:00:00-04:00", "the same weekday means next week")
        let next = window("sometime next week")
        XCTAssertEqual(next?.from, "2026-03-09T00:00:00-04:00")
        XCTAssertEqual(next?.to, "2026-03-16T00:00:00-04:00")
        XCTAssertEqual(window("this week please")?.to, "2026-03-09T00:00:00-04:00")
        XCTAssertEqual(window("any tues/thurs")?.weekdays, [3, 5])
        XCTAssertNil(window("any tues/thurs")?.from)
    }

    func testPartsOfDayAndHours() {
        XCTAssertEqual(window("mornings work best")?.part_of_day, ["morning"])
        XCTAssertEqual(window("any day after 3")?.after_hour, 15)
        XCTAssertEqual(window("before 10am")?.before_hour, 10)
        XCTAssertEqual(window("after 4:30pm")?.after_hour, 16)
        XCTAssertNil(window("I need an appointment"))
    }

    func testSpanishTimes() {
        let w = window("quisiera una cita el viernes por la mañana")
        XCTAssertEqual(w?.from, "2026-03-06T00:00:00-05:00")
        XCTAssertEqual(w?.part_of_day, ["morning"])
        XCTAssertEqual(window("la semana que viene")?.from, "2026-03-09T00:00:00-04:00")
        XCTAssertEqual(window("mañana despues de las 3")?.from, "2026-03-03T00:00:00-05:00")
        XCTAssertEqual(window("mañana despues de las 3")?.after_hour, 15)
    }

    func testNextMonthAcrossTheYear() {
        let december = RFC3339.parse("2026-12-15T10:00:00-05:00")!
        let w = Repo.starter.classify("something next month", sentAt: december, timeZone: newYork).entities.time_window
        XCTAssertEqual(w?.from, "2027-01-01T00:00:00-05:00")
        XCTAssertEqual(w?.to, "2027-02-01T00:00:00-05:00")
        let lateEvening = RFC3339.parse("2026-03-02T23:30:00-05:00")!  // already Tuesday in UTC
        XCTAssertEqual(Repo.starter.classify("tomorrow", sentAt: lateEvening, timeZone: newYork).entities.time_window?.from,
                       "2026-03-03T00:00:00-05:00")
    }

    func testOtherTimeZone() {
        let c = Repo.starter.classify("tomorrow", sentAt: mondayMorning, timeZone: TimeZone(identifier: "America/Los_Angeles")!)
        XCTAssertEqual(c.entities.time_window?.from, "2026-03-03T00:00:00-08:00")
    }

    func testAPhraseInsideALongerOneIsNotASecondPerson() throws {
        let rules = try RuleSet.compile(sources: [("t.rules", """
        policy book_appointment route automate
        rule b intent book_appointment weight 3 : "book"
        entity visit_for child = "my kid"
        entity visit_for multiple = "my kid and"
        entity visit_for spouse = "my wife"
        """)]).get()
        func whoFor(_ text: String) -> String? { rules.classify(text, sentAt: mondayMorning, timeZone: newYork).entities.visit_for }
        XCTAssertEqual(whoFor("book my kid and me"), "multiple")
        XCTAssertEqual(whoFor("book my kid"), "child")
        XCTAssertEqual(whoFor("book my kid, then my wife"), "multiple", "two different people still count")
    }
}
