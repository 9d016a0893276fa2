import XCTest
@testable import Prompts

final class PromptsTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
