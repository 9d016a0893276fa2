import XCTest
@testable import Service

final class ServiceTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
