import Foundation
import IntakeCore
import XCTest
@testable import Scheduling

final class SlotMatcherTests: XCTestCase {
    // Monday March 2, 2026, 10:05 in New York.
    let now = at("2026-03-02T10:05:00-05:00")

    func testMorningWishRanksMorningsFirstAndSoonerBreaksTies() {
        let candidates = [
            slot("tue-14", "2026-03-03T14:00:00-05:00"),
            slot("wed-09", "2026-03-04T09:00:00-05:00"),
            slot("tue-09", "2026-03-03T09:00:00-05:00"),
            slot("thu-10", "2026-03-05T10:00:00-05:00"),
        ]
        let wish = Entities(service: "dermatology", time_window: TimeWindow(part_of_day: ["morning"]))
        let offer = SlotMatcher.offer(candidates: candidates, entities: wish, now: now, timeZone: newYork)
        XCTAssertEqual(offer.slots.map(\.id), ["tue-09", "wed-09", "thu-10"])
        XCTAssertTrue(offer.allFit)
    }

    func testHardFiltersPastOtherServiceAndNewPatients() {
        let candidates = [
            slot("past", "2026-03-02T09:00:00-05:00"),
            slot("cardio", "2026-03-03T09:00:00-05:00", service: "cardiology"),
            slot("established-only", "2026-03-03T10:00:00-05:00", newPatients: false),
            slot("ok", "2026-03-03T15:00:00-05:00"),
        ]
        let wish = Entities(service: "dermatology", new_patient: true)
        let offer = SlotMatcher.offer(candidates: candidates, entities: wish, now: now, timeZone: newYork)
        XCTAssertEqual(offer.slots.map(\.id), ["ok"])
    }

    func testSpreadAvoidsAdjacentSlotsWhenOthersExist() {
        let candidates = [
            slot("9:00", "2026-03-03T09:00:00-05:00"), slot("9:30", "2026-03-03T09:30:00-05:00"),
            slot("10:00", "2026-03-03T10:00:00-05:00"), slot("10:30", "2026-03-03T10:30:00-05:00"),
            slot("11:00", "2026-03-03T11:00:00-05:00"),
        ]
        let offer = SlotMatcher.offer(candidates: candidates, entities: Entities(service: "dermatology"),
                                      now: now, timeZone: newYork)
        XCTAssertEqual(offer.slots.map(\.id), ["9:00", "10:00", "11:00"])
        // With only adjacent slots left, they are still offered rather than fewer.
        let tight = SlotMatcher.offer(candidates: Array(candidates.prefix(2)), entities: Entities(), now: now,
                                      timeZone: newYork)
        XCTAssertEqual(tight.slots.map(\.id), ["9:00", "9:30"])
    }

    func testWeekdayHourLocationProviderAndAfter() {
        let candidates = [
            slot("tue-main", "2026-03-03T15:00:00-05:00", provider: "Dr. Patel", location: "Main Street Clinic"),
            slot("thu-river-early", "2026-03-05T09:00:00-05:00", provider: "Dr. Garcia", location: "Riverside"),
            slot("thu-river", "2026-03-05T15:30:00-05:00", provider: "Dr. Garcia", location: "Riverside"),
            slot("thu-main", "2026-03-05T16:00:00-05:00", provider: "Dr. Patel", location: "Main Street Clinic"),
        ]
        let wish = Entities(service: "dermatology", time_window: TimeWindow(weekdays: [5], after_hour: 15),
                            location: "riverside", provider: "Garcia")
        let offer = SlotMatcher.offer(candidates: candidates, entities: wish, now: now, timeZone: newYork)
        XCTAssertEqual(offer.slots.first?.id, "thu-river")
        XCTAssertFalse(offer.allFit, "the other offers miss a wish")
        let later = SlotMatcher.offer(candidates: candidates, entities: Entities(), now: now, timeZone: newYork,
                                      after: at("2026-03-05T09:00:00-05:00"))
        XCTAssertEqual(Set(later.slots.map(\.id)), ["thu-river", "thu-main"])
    }

    func testDateRangeFromTimeWindow() {
        let candidates = [slot("this-week", "2026-03-03T09:00:00-05:00"), slot("next-week", "2026-03-10T09:00:00-05:00")]
        let wish = Entities(time_window: TimeWindow(from: "2026-03-09T00:00:00-05:00", to: "2026-03-14T00:00:00-05:00"))
        let offer = SlotMatcher.offer(candidates: candidates, entities: wish, now: now, timeZone: newYork, limit: 1)
        XCTAssertEqual(offer.slots.map(\.id), ["next-week"])
    }

    func testLanguagePreference() {
        let candidates = [slot("en", "2026-03-03T09:00:00-05:00", languages: ["en"]),
                          slot("es", "2026-03-04T09:00:00-05:00", languages: ["en", "es"])]
        let offer = SlotMatcher.offer(candidates: candidates, entities: Entities(language: "es"), now: now,
                                      timeZone: newYork, limit: 1)
        XCTAssertEqual(offer.slots.map(\.id), ["es"])
    }
}
