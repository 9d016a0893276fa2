import XCTest
import IntakeCore
@testable import Handoff

final class WebhookTests: XCTestCase {
    /// RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    func testContractSignatureMatchesRFC4231Vector() {
        let body = Data("what do ya want for nothing?".utf8)
        let sig = WebhookSigner.signature(body: body, secret: Array("Jefe".utf8))
        XCTAssertEqual(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// RFC 4231 test case 1: key 0x0b x 20, data "Hi There"; and test case 6: a 131-byte key
    /// (longer than the block size, so it is hashed first).
    func testMoreRFC4231Vectors() {
        XCTAssertEqual(WebhookSigner.signature(body: Data("Hi There".utf8), secret: [UInt8](repeating: 0x0b, count: 20)),
                       "sha256=b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        XCTAssertEqual(WebhookSigner.signature(body: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                                               secret: [UInt8](repeating: 0xaa, count: 131)),
                       "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testSignHeadersAndTimestampSignature() {
        let body = Data("what do ya want for nothing?".utf8)
        let ts = Date(timeIntervalSince1970: 1_772_000_000.75)
        let h = WebhookSigner.sign(body: body, secret: Array("Jefe".utf8), timestamp: ts)
        XCTAssertEqual(h["X-Intake-Signature"], "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertEqual(h["X-Intake-Timestamp"], "1772000000")
        let expected = "sha256=" + Digest.hex(Digest.hmacSHA256(key: Array("Jefe".utf8),
                                                                message: Array("1772000000.what do ya want for nothing?".utf8)))
        XCTAssertEqual(h["X-Intake-Timestamp-Signature"], expected)
    }

    func testVerify() {
        let secret = Array("s3cret".utf8)
        let body = Data(#"{"id":"evt_1"}"#.utf8)
        let sig = WebhookSigner.signature(body: body, secret: secret)
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: secret, signature: sig))
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: secret, signature: sig.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256=")))
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: Array("other".utf8), signature: sig))
        XCTAssertFalse(WebhookSigner.verify(body: Data(#"{"id":"evt_2"}"#.utf8), secret: secret, signature: sig))
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, signature: String(sig.dropFirst(7))), "prefix required")
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, signature: "sha256=zz"))
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, signature: String(sig.dropLast(2))))
    }

    func testVerifyHeadersWithTolerance() {
        let secret = Array("s3cret".utf8)
        let body = Data(#"{"id":"evt_1"}"#.utf8)
        let at = Date(timeIntervalSince1970: 1_772_000_000)
        let sent = WebhookSigner.sign(body: body, secret: secret, timestamp: at)
        let received = Dictionary(uniqueKeysWithValues: sent.map { ($0.key.lowercased(), $0.value) })
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: secret, headers: received))
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: secret, headers: received, now: at + 200, tolerance: 300))
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, headers: received, now: at + 400, tolerance: 300), "stale")
        var moved = received
        moved["x-intake-timestamp"] = "1772000300"
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, headers: moved, now: at + 300, tolerance: 300),
                       "a changed timestamp breaks the timestamp signature")
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: secret, headers: moved), "the contract signature alone still holds")
        XCTAssertFalse(WebhookSigner.verify(body: body, secret: secret, headers: [:]))
    }

    func testEventBodyIsStableAndRoundTrips() throws {
        let event = WebhookEvent(id: "evt_1", type: .bookingCreated, createdAt: Date(timeIntervalSince1970: 1_772_000_000),
                                 data: ["booking_id": .string("bk_1"), "slot": .object(["start": .string("2026-03-10T09:00:00-05:00")]),
                                        "count": .number(3), "held": .bool(true), "note": .null, "ratio": .number(0.5)])
        let body = String(decoding: event.body(), as: UTF8.self)
        XCTAssertEqual(body, #"{"created_at":"2026-02-25T06:13:20.000Z","data":{"booking_id":"bk_1","count":3,"held":true,"note":null,"ratio":0.5,"slot":{"start":"2026-03-10T09:00:00-05:00"}},"id":"evt_1","type":"booking.created"}"#)
        XCTAssertEqual(try WebhookEvent.decode(event.body()), event)
        XCTAssertEqual(event.body(), event.body())
    }

    func testDeliveryHeaders() {
        let event = WebhookEvent(id: "evt_7", type: .emergencyDetected, createdAt: Date(timeIntervalSince1970: 0), data: [:])
        let body = event.body()
        let h = WebhookSigner.headers(for: event, body: body, secret: Array("k".utf8), timestamp: Date(timeIntervalSince1970: 5))
        XCTAssertEqual(h["X-Intake-Event-Id"], "evt_7")
        XCTAssertEqual(h["X-Intake-Event"], "emergency.detected")
        XCTAssertEqual(h["Content-Type"], "application/json")
        XCTAssertTrue(WebhookSigner.verify(body: body, secret: Array("k".utf8), signature: h["X-Intake-Signature"]!))
    }
}
