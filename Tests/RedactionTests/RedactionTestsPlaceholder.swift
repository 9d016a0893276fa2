import XCTest
@testable import Redaction

final class RedactionTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
