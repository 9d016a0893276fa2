import XCTest
@testable import Scheduling

final class SchedulingTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
