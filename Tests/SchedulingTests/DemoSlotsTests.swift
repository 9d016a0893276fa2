import Foundation
import XCTest
@testable import Scheduling

final class DemoSlotsTests: XCTestCase {
    func testEveryServiceWeekdaysOnlyDeterministic() {
        let now = at("2026-03-02T10:05:00-05:00")  // a Monday
        let slots = DemoSlots.generate(now: now, timeZone: newYork)
        XCTAssertEqual(Set(slots.map(\.service)), Set(ServiceNames.all))
        XCTAssertEqual(Set(slots.compactMap(\.location)), Set(DemoSlots.locations))
        XCTAssertEqual(Set(slots.map(\.id)).count, slots.count, "ids are unique")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = newYork
        for s in slots {
            XCTAssertGreaterThan(s.start, now)
            XCTAssertLessThan(s.start, now.addingTimeInterval(15 * 86_400))
            XCTAssertTrue((2...6).contains(calendar.component(.weekday, from: s.start)), s.id)
            let hour = calendar.component(.hour, from: s.start)
            XCTAssertTrue((8..<17).contains(hour), s.id)
            XCTAssertGreaterThan(s.end, s.start)
        }
        XCTAssertEqual(slots, DemoSlots.generate(now: now.addingTimeInterval(3600), timeZone: newYork),
                       "same day, same slots")
        XCTAssertGreaterThan(slots.filter { $0.service == "dermatology" }.count, 20)
        // Every service has both mornings and afternoons across the two weeks.
        for service in ServiceNames.all {
            let hours = Set(slots.filter { $0.service == service }.map { calendar.component(.hour, from: $0.start) < 12 })
            XCTAssertEqual(hours, [true, false], service)
        }
    }

    func testDemoSlotsSurviveTheirOwnImport() throws {
        let slots = DemoSlots.generate(now: at("2026-03-02T10:05:00-05:00"), timeZone: newYork, days: 3)
        let ndjson = try slots.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        XCTAssertEqual(try SlotImport.parse(Array(ndjson.utf8), contentType: "application/x-ndjson").get(), slots)
    }
}
