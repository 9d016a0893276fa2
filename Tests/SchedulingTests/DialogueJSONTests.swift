import Foundation
import IntakeCore
@testable import Scheduling
import XCTest

/// `BookingDialogue.jsonBytes()` must write exactly what the synthesized `Codable` conformance
/// writes and reads: every dialogue state and every pending effect, with and without the
/// optional fields.
final class DialogueJSONTests: XCTestCase {
    func dialogues() -> [BookingDialogue] {
        let a = slot("s1", "2026-03-10T09:00:00-04:00", provider: "Dr. A", location: "Main", languages: ["en", "es"],
                     newPatients: true)
        let b = slot("s2", "2026-03-10T10:30:00-04:00")
        let states: [DialogueState] = [
            .idle, .needService, .needTime, .offered(slots: [a, b], holdUntil: at("2026-03-02T14:10:00.250Z")),
            .booked(bookingID: "bk-1"), .confirmingCancel(bookingID: "bk-\"2\""), .confirmingReschedule(bookingID: "bk-3"),
            .escalated(reason: "booking.no_slots"),
        ]
        let pending: [Awaiting?] = [nil, .search, .hold([a, b]), .book(b), .cancel(bookingID: "bk-1", forReschedule: true)]
        var out: [BookingDialogue] = []
        for (i, state) in states.enumerated() {
            for (j, awaiting) in pending.enumerated() {
                var d = BookingDialogue(settings: DialogueSettings(timeZone: newYork, language: i % 2 == 0 ? "en" : "es",
                                                                   speakable: j % 2 == 0))
                d.state = state
                d.awaiting = awaiting
                if (i + j) % 2 == 0 {
                    d.knownBooking = BookingRef(id: "bk-1", slot: a)
                    d.rescheduleFrom = BookingRef(id: "bk-0", slot: b)
                    d.pendingPick = "s2"
                    d.afterDate = at("2026-03-11T00:00:00Z")
                    d.beforeDate = at("2026-03-20T00:00:00Z")
                    d.lastOfferLatest = b.start
                    d.wishes = Entities(service: "dermatology", time_window: TimeWindow(from: "2026-03-09T00:00:00-04:00",
                                        part_of_day: ["morning"], weekdays: [1, 3], text: "next week\nmornings"),
                                        new_patient: false, language: "es")
                }
                d.failedTurns = i
                d.internalSteps = j
                d.excluded = Array(["s9", "s8", "s7"].prefix(j))
                d.now = Date(timeIntervalSinceReferenceDate: 794_000_000.123_456 + Double(i * 7 + j))
                d.offerTemplate = j == 3 ? "booking.offer_taken" : "booking.offer"
                d.relaxed = i % 3 == 0
                d.askedTime = j % 3 == 0
                d.hasOffered = (i + j) % 3 == 0
                out.append(d)
            }
        }
        return out
    }

    func testHandWrittenJSONDecodesToTheSameDialogue() throws {
        for d in dialogues() {
            let decoded = try JSONDecoder().decode(BookingDialogue.self, from: Data(d.jsonBytes()))
            XCTAssertEqual(decoded, d)
        }
    }

    func testHandWrittenJSONHasTheShapeJSONEncoderWrites() throws {
        for d in dialogues() {
            let mine = try JSONSerialization.jsonObject(with: Data(d.jsonBytes())) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(d)) as? NSDictionary
            XCTAssertNotNil(mine)
            XCTAssertEqual(mine, theirs)
        }
    }
}
