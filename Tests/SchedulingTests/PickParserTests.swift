import Foundation
import XCTest
@testable import Scheduling

final class PickParserTests: XCTestCase {
    // Tuesday 9:00 with Dr. Patel, Tuesday 10:30 with Dr. Garcia, Thursday 14:00 with Dr. Patel.
    let offered = [
        slot("a", "2026-03-03T09:00:00-05:00", provider: "Dr. Patel"),
        slot("b", "2026-03-03T10:30:00-05:00", provider: "Dr. Garcia"),
        slot("c", "2026-03-05T14:00:00-05:00", provider: "Dr. Patel"),
    ]

    func pick(_ text: String) -> Pick { PickParser.parse(text, offered: offered, timeZone: newYork) }

    func testOrdinalsAndNumbers() {
        XCTAssertEqual(pick("the second one"), .slot(1))
        XCTAssertEqual(pick("2"), .slot(1))
        XCTAssertEqual(pick("First"), .slot(0))
        XCTAssertEqual(pick("option 3 please"), .slot(2))
        XCTAssertEqual(pick("#1"), .slot(0))
        XCTAssertEqual(pick("the 3 please"), .slot(2))
        XCTAssertEqual(pick("at 3"), .unclear, "a time, and no slot at 3")
        XCTAssertEqual(pick("the last one"), .slot(2))
        XCTAssertEqual(pick("5"), .unclear)
        XCTAssertEqual(pick("the fourth"), .unclear)
    }

    func testTimesAndDays() {
        XCTAssertEqual(pick("Tuesday at 9"), .slot(0))
        XCTAssertEqual(pick("the 10:30"), .slot(1))
        XCTAssertEqual(pick("10.30 works"), .slot(1))
        XCTAssertEqual(pick("thursday"), .slot(2))
        XCTAssertEqual(pick("2pm"), .slot(2))
        XCTAssertEqual(pick("at 2 please"), .slot(2))
        XCTAssertEqual(pick("Tuesday"), .unclear, "two Tuesday slots")
        XCTAssertEqual(pick("Tuesday morning, the later one"), .later, "'later' wins: it asks for other times")
        XCTAssertEqual(pick("Wednesday at 9"), .unclear)
    }

    func testProviderName() {
        XCTAssertEqual(pick("the one with Dr. Garcia"), .slot(1))
        XCTAssertEqual(pick("Patel"), .unclear, "two slots with Dr. Patel")
    }

    func testRefusalsAndLaterEarlier() {
        XCTAssertEqual(pick("none of those"), .none)
        XCTAssertEqual(pick("Neither works for me"), .none)
        XCTAssertEqual(pick("no"), .none)
        XCTAssertEqual(pick("something later"), .later)
        XCTAssertEqual(pick("anything sooner?"), .earlier)
        XCTAssertEqual(pick("banana"), .unclear)
        XCTAssertEqual(pick(""), .unclear)
    }

    func testSpanish() {
        XCTAssertEqual(pick("la segunda"), .slot(1))
        XCTAssertEqual(pick("La primera, por favor"), .slot(0))
        XCTAssertEqual(pick("el martes a las 9"), .slot(0))
        XCTAssertEqual(pick("el jueves"), .slot(2))
        XCTAssertEqual(pick("ninguna"), .none)
        XCTAssertEqual(pick("ninguno me sirve"), .none)
        XCTAssertEqual(pick("algo más tarde"), .later)
        XCTAssertEqual(pick("la tercera opción"), .slot(2))
    }

    func testYesPicksTheOnlyOffer() {
        XCTAssertEqual(PickParser.parse("yes please", offered: [offered[0]], timeZone: newYork), .slot(0))
        XCTAssertEqual(pick("yes please"), .unclear)
    }

    func testConfirmation() {
        for yes in ["yes", "Yes please", "sure, go ahead", "ok", "sí", "Claro que sí", "de acuerdo", "y"] {
            XCTAssertEqual(Confirmation.parse(yes), .yes, yes)
        }
        for no in ["no", "No, keep it", "never mind", "mejor no", "no gracias", "nope"] {
            XCTAssertEqual(Confirmation.parse(no), .no, no)
        }
        for unclear in ["not sure", "no sé", "maybe", "what?", "", "yes no"] {
            XCTAssertEqual(Confirmation.parse(unclear), .unclear, unclear)
        }
    }
}
