import AuditLog
import IntakeCore
import XCTest

final class AuditChainTests: XCTestCase {
    let key: [UInt8] = Array("k".utf8)

    func fields(_ seq: Int64, json: String = "{}") -> AuditFields {
        AuditFields(seq: seq, id: "dec_\(seq)", conversationID: "c", messageID: "m\(seq)", createdAt: "2026-03-02T19:05:00.000Z",
                    route: "automate", action: "reply", intent: "greeting", rulesVersion: "sha256:1", json: json)
    }

    func testMACIsDeterministicAndCoversEveryField() {
        let base = fields(1)
        let mac = AuditChain.mac(key: key, prev: AuditChain.genesis, fields: base)
        XCTAssertEqual(mac.count, 64)
        XCTAssertEqual(mac, AuditChain.mac(key: key, prev: AuditChain.genesis, fields: base))
        var variants: [AuditFields] = []
        for path in [\AuditFields.id, \.conversationID, \.messageID, \.createdAt, \.route, \.action, \.intent, \.rulesVersion, \.json] {
            var f = base
            f[keyPath: path] += "x"
            variants.append(f)
        }
        var seq = base; seq.seq = 2; variants.append(seq)
        for v in variants { XCTAssertNotEqual(AuditChain.mac(key: key, prev: AuditChain.genesis, fields: v), mac) }
        XCTAssertNotEqual(AuditChain.mac(key: Array("other".utf8), prev: AuditChain.genesis, fields: base), mac)
        XCTAssertNotEqual(AuditChain.mac(key: key, prev: mac, fields: base), mac)
    }

    /// The chain format is fixed: databases written by earlier versions must keep verifying.
    /// Expected value computed independently (Python hmac/hashlib) from the documented format.
    func testMACMatchesTheDocumentedFormatByteForByte() {
        let f = AuditFields(seq: 7, id: "dec_01", conversationID: "conv-é", messageID: "m1",
                            createdAt: "2026-03-02T19:05:00.000Z", route: "human", action: "escalate",
                            intent: "billing_dispute", rulesVersion: "sha256:abc", json: #"{"a":"b\nc"}"#)
        let key = Array("test-audit-key-0123456789abcdef".utf8)
        let expected = "52d0347e242b2ff4e4215344732b30cf395a25c713ad6d1bc7f955b4b250797c"
        XCTAssertEqual(AuditChain.mac(key: key, prev: AuditChain.genesis, fields: f), expected)
        XCTAssertEqual(AuditChain.mac(Digest.HMACSHA256(key: key), prev: AuditChain.genesis, fields: f), expected)
    }

    func testCanonicalFormIsUnambiguous() {
        // Moving bytes across a field boundary must change the canonical form.
        var a = fields(1); a.route = "ab"; a.action = "c"
        var b = fields(1); b.route = "a"; b.action = "bc"
        XCTAssertNotEqual(AuditChain.canonical(a), AuditChain.canonical(b))
        var c = fields(1); c.route = "a\n1:b"; c.action = ""
        var d = fields(1); d.route = "a"; d.action = "b"
        XCTAssertNotEqual(AuditChain.canonical(c), AuditChain.canonical(d))
    }

    func chain(_ n: Int) -> [(AuditFields, String, String)] {
        var prev = AuditChain.genesis
        return (1...n).map { i in
            let f = fields(Int64(i))
            let mac = AuditChain.mac(key: key, prev: prev, fields: f)
            defer { prev = mac }
            return (f, prev, mac)
        }
    }

    func verify(_ rows: [(AuditFields, String, String)]) -> AuditReport {
        var v = AuditVerifier(key: key)
        for (f, p, m) in rows { v.check(fields: f, prevMAC: p, mac: m) }
        return v.report
    }

    func testVerifierAcceptsAnIntactChain() {
        let rows = chain(5)
        let report = verify(rows)
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 5)
        XCTAssertEqual(report.headMAC, rows.last?.2)
        XCTAssertEqual(verify([]), AuditReport(checked: 0, firstBadSeq: nil, headMAC: nil))
    }

    func testVerifierFindsEditsDeletionsAndReordering() {
        var edited = chain(5)
        edited[2].0.json = "{\"route\":\"human\"}"
        XCTAssertEqual(verify(edited).firstBadSeq, 3)

        var deleted = chain(5)
        deleted.remove(at: 1)
        XCTAssertEqual(verify(deleted).firstBadSeq, 3)

        var firstDeleted = chain(3)
        firstDeleted.removeFirst()
        XCTAssertEqual(verify(firstDeleted).firstBadSeq, 2)

        var swapped = chain(5)
        swapped.swapAt(1, 2)
        XCTAssertEqual(verify(swapped).firstBadSeq, 3)
    }
}
