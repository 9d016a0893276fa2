import Foundation
import XCTest
@testable import Scheduling

final class ReplyRendererTests: XCTestCase {
    let morning = at("2026-03-03T09:30:00-05:00")
    let afternoon = at("2026-03-03T14:00:00-05:00")

    func testEnglish() {
        let r = ReplyRenderer(timeZone: newYork)
        XCTAssertEqual(r.dateTime(morning), "Tuesday, March 3 at 9:30 AM")
        XCTAssertEqual(r.dateTime(afternoon), "Tuesday, March 3 at 2:00 PM")
        XCTAssertEqual(r.time(at("2026-03-03T12:00:00-05:00")), "12:00 PM")
    }

    func testSpanish() {
        let r = ReplyRenderer(timeZone: newYork, language: "es-MX")
        XCTAssertEqual(r.dateTime(morning), "martes 3 de marzo a las 9:30")
        XCTAssertEqual(r.dateTime(at("2026-03-04T13:00:00-05:00")), "miércoles 4 de marzo a la 13:00")
        let spoken = ReplyRenderer(timeZone: newYork, language: "es", speakable: true)
        XCTAssertEqual(spoken.time(afternoon), "2 de la tarde")
    }

    func testClinicZoneNotUTC() {
        let utc = ReplyRenderer(timeZone: TimeZone(identifier: "UTC")!)
        XCTAssertEqual(utc.dateTime(morning), "Tuesday, March 3 at 2:30 PM")
        // Across the DST change (March 8, 2026 in New York) the local hour stays right.
        XCTAssertEqual(ReplyRenderer(timeZone: newYork).dateTime(at("2026-03-09T13:00:00Z")), "Monday, March 9 at 9:00 AM")
    }

    func testSpeakable() {
        let r = ReplyRenderer(timeZone: newYork, speakable: true)
        XCTAssertEqual(r.dateTime(morning), "Tuesday, March 3 at 9:30 in the morning")
        XCTAssertEqual(r.time(at("2026-03-03T12:00:00-05:00")), "noon")
        let filled = r.fill("Booked with {provider}. Details: https://clinic.example/b/1 {missing}",
                            values: ["provider": "Dr. Patel"])
        XCTAssertEqual(filled, "Booked with Doctor Patel. Details: {missing}")
        let options = r.options([slot("a", "2026-03-03T09:30:00-05:00", provider: "Dr. Kim", location: "Main St.")])
        XCTAssertEqual(options, "Option 1, Tuesday, March 3 at 9:30 in the morning with Doctor Kim at Main Street.")
    }

    func testOptionsAndFill() {
        let r = ReplyRenderer(timeZone: newYork)
        let list = r.options([slot("a", "2026-03-03T09:30:00-05:00", provider: "Dr. Kim"),
                              slot("b", "2026-03-03T14:00:00-05:00", location: "Riverside")])
        XCTAssertEqual(list, "1) Tuesday, March 3 at 9:30 AM with Dr. Kim\n2) Tuesday, March 3 at 2:00 PM at Riverside")
        XCTAssertEqual(r.fill("{a} and {b}, {", values: ["a": "x", "b": "{a}"]), "x and {a}, {")
    }
}
