import Foundation
import XCTest
@testable import IntakeCore

final class IDsTests: XCTestCase {
    func testIdsArePrefixedUniqueAndOrderedByCreation() {
        let first = IDs.make("dec")
        Thread.sleep(forTimeInterval: 0.003)
        let ids = (0..<1000).map { _ in IDs.make("dec") }
        XCTAssertTrue(first.hasPrefix("dec_"))
        XCTAssertEqual(first.count, 4 + 12 + 16)
        XCTAssertTrue(ids.allSatisfy { $0 > first }, "a later id sorts after an earlier one")
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertTrue(first.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let millis = UInt64(first.dropFirst(4).prefix(12), radix: 16) ?? 0
        XCTAssertEqual(Double(millis) / 1000, Date().timeIntervalSince1970, accuracy: 5, "the time part is the creation time")
        XCTAssertGreaterThan(Set(ids.map { $0.suffix(16) }).count, 990, "the random part varies")
    }
}
