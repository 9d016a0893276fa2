import Foundation
import IntakeCore
import XCTest
@testable import Service

/// The byte-level parsing on every request: bearer tokens, content types, empty message text.
final class RequestParsingTests: XCTestCase {
    func testBearerTokenAroundOptionalWhitespace() {
        let auth = Authenticator()
        let token = "itk_0123456789abcdef"
        auth.add(name: "k", sha256: Digest.sha256Hex(token), scopes: [.ingest])
        XCTAssertEqual(auth.authenticate(header: "Bearer \(token)")?.name, "k")
        XCTAssertEqual(auth.authenticate(header: "bearer  \t\(token) \t")?.name, "k")
        XCTAssertNil(auth.authenticate(header: "Bearer \(token)x"))
        XCTAssertNil(auth.authenticate(header: "Basic \(token)"))
        XCTAssertNil(auth.authenticate(header: "Bearer  \t "))
        XCTAssertNil(auth.authenticate(header: "Bearer " + String(repeating: "é", count: 300)), "over 512 bytes")
    }

    func testOptionalWhitespaceTrimsOnlySpacesAndTabs() {
        XCTAssertEqual(" \tapplication/json \t"[...].trimmingOptionalWhitespace, "application/json")
        XCTAssertEqual("\napplication/json"[...].trimmingOptionalWhitespace, "\napplication/json")
        XCTAssertEqual("   "[...].trimmingOptionalWhitespace, "")
    }

    func testTextOfOnlyWhitespaceIsRefusedNamingTheField() {
        for text in [" ", "\n\t", "\u{2003}\u{3000}"] {
            let body = try! JSONSerialization.data(withJSONObject: ["message_id": "m1", "text": text])
            XCTAssertThrowsError(try MessageRequest.parse(Array(body), limits: MessageLimits(), now: Date(),
                                                          newConversationID: { "c1" })) { error in
                XCTAssertEqual((error as? APIError)?.field, "text", "\(text.unicodeScalars.map(\.value))")
            }
        }
        let body = try! JSONSerialization.data(withJSONObject: ["message_id": "m1", "text": " \u{2003}hi "])
        XCTAssertEqual(try MessageRequest.parse(Array(body), limits: MessageLimits(), now: Date(),
                                                newConversationID: { "c1" }).text, " \u{2003}hi ")
    }
}
