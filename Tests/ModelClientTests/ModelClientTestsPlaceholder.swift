import XCTest
@testable import ModelClient

final class ModelClientTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
