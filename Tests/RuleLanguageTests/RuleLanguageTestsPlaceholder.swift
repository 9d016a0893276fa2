import XCTest
@testable import RuleLanguage

final class RuleLanguageTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
