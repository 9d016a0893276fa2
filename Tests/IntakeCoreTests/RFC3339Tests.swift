import Foundation
import XCTest
@testable import IntakeCore

final class RFC3339Tests: XCTestCase {
    func testParsesOffsetsZuluAndFractions() {
        XCTAssertEqual(RFC3339.parse("2026-03-02T14:05:00-05:00")?.timeIntervalSince1970, 1772478300)
        XCTAssertEqual(RFC3339.parse("2026-03-02T19:05:00Z")?.timeIntervalSince1970, 1772478300)
        XCTAssertEqual(RFC3339.parse("2026-03-02t19:05:00z")?.timeIntervalSince1970, 1772478300)
        XCTAssertEqual(RFC3339.parse("2026-03-02T19:05:00.250Z")!.timeIntervalSince1970, 1772478300.25, accuracy: 0.0001)
        XCTAssertEqual(RFC3339.parse("2026-03-03T00:35:00+05:30")?.timeIntervalSince1970, 1772478300)
    }

    func testRejectsMalformedAndImpossibleTimestamps() {
        for bad in ["", "2026-03-02", "2026-03-02 14:05:00Z", "2026-03-02T14:05:00", "2026-02-30T10:00:00Z",
                    "2026-13-01T10:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T14:05:00.Z", "2026-03-02T14:05:00+0500",
                    "2026-03-02T14:05:00Zjunk", "２０２６-03-02T14:05:00Z"] {
            XCTAssertNil(RFC3339.parse(bad), bad)
        }
    }

    func testFormatsUTCWithMillisecondsAndAgreesWithFoundation() {
        XCTAssertEqual(RFC3339.format(Date(timeIntervalSince1970: 1772478300.25)), "2026-03-02T19:05:00.250Z")
        XCTAssertEqual(RFC3339.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        let reference = ISO8601DateFormatter()
        reference.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800, using: &generator)) + 0.125)
            let ours = RFC3339.format(date)
            XCTAssertEqual(ours, reference.string(from: date))
            XCTAssertEqual(RFC3339.parse(ours), date)
        }
    }
}
