import XCTest
@testable import Service

final class EndToEndTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
