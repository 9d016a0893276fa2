import XCTest
@testable import AuditLog

final class AuditLogTestsPlaceholder: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
