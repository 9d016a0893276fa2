import XCTest
@testable import Handoff

final class HandoffTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
