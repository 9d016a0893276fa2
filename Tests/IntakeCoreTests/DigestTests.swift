import XCTest
@testable import IntakeCore

final class DigestTests: XCTestCase {
    func testSHA256KnownVector() {
        XCTAssertEqual(Digest.sha256Hex("abc"),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testHMACKnownVector() {
        // RFC 4231 test case 2.
        let mac = Digest.hmacSHA256(key: Array("Jefe".utf8),
                                    message: Array("what do ya want for nothing?".utf8))
        XCTAssertEqual(Digest.hex(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testHMACWithKeyLongerThanTheBlock() {
        // RFC 4231 test case 6: the key is hashed first.
        let mac = Digest.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                    message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        XCTAssertEqual(Digest.hex(mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testHexRoundTripAndConstantTimeEqual() {
        let bytes: [UInt8] = [0, 1, 0xab, 0xff]
        XCTAssertEqual(Digest.fromHex(Digest.hex(bytes)), bytes)
        XCTAssertNil(Digest.fromHex("zz"))
        XCTAssertTrue(Digest.constantTimeEqual(bytes, bytes))
        XCTAssertFalse(Digest.constantTimeEqual(bytes, [0, 1, 0xab, 0xfe]))
        XCTAssertFalse(Digest.constantTimeEqual(bytes, [0]))
    }
}
