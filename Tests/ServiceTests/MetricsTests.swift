import XCTest
@testable import Service

final class MetricsTests: XCTestCase {
    /// A client chooses the method token: counting each one under its own label would let it
    /// grow memory and the exposition without bound, and a quote in it would break the format.
    func testUnknownMethodsShareOneLabel() {
        let m = Metrics()
        m.observeRequest(method: "POST", status: 200, seconds: 0.001)
        for i in 0..<1000 { m.observeRequest(method: "X\(i)\"}", status: 405, seconds: 0.001) }
        let text = m.render()
        XCTAssertTrue(text.contains(#"intake_http_requests_total{method="POST",status="200"} 1"#), text)
        XCTAssertTrue(text.contains(#"intake_http_requests_total{method="other",status="405"} 1000"#), text)
        XCTAssertFalse(text.contains("X1"), "a client's method token never reaches the exposition")
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("intake_http_requests_total{") }.count, 2)
    }
}
