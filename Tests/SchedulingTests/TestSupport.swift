import Foundation
import IntakeCore
@testable import Scheduling

/// The clinic zone the tests use.
let newYork = TimeZone(identifier: "America/New_York")!

/// An RFC 3339 date, crashing on a typo in the test itself.
func at(_ text: String) -> Date {
    guard let d = RFC3339.parse(text) else { fatalError("bad date in test: \(text)") }
    return d
}

/// A 30-minute slot starting at `start` (New York local time on March 2026 dates).
func slot(_ id: String, _ start: String, service: String = "dermatology", provider: String? = nil,
          location: String? = nil, languages: [String]? = nil, newPatients: Bool? = nil) -> Slot {
    let s = at(start)
    return Slot(id: id, service: service, provider: provider, location: location, start: s,
                end: s.addingTimeInterval(1800), languages: languages, newPatients: newPatients)
}

/// The bytes of a fixture file next to the tests.
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    return Array(try Data(contentsOf: url))
}
