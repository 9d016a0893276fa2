import XCTest
@testable import RuleEngine

final class RuleEngineTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
