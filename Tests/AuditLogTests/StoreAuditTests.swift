import AuditLog
import CSQLite
import Foundation
import Store
import XCTest

/// Tampers with the database file behind the store's back and checks `verifyAudit` notices.
final class StoreAuditTests: XCTestCase {
    var directory: URL!
    var path: String { directory.appendingPathComponent("intake.db").path }
    let key: [UInt8] = Array("audit-key".utf8)

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("audit-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try Store(path: path, auditKey: key)
        let done = DispatchGroup()
        for i in 1...50 {
            done.enter()
            store.write({ tx in
                try tx.upsertConversation(ConversationRecord(id: "c\(i % 4)", channel: "chat", createdAt: "t", updatedAt: "t",
                                                             stateJSON: "{}", status: "open"))
                try tx.insertDecision(DecisionRecord(id: "d\(i)", conversationID: "c\(i % 4)", messageID: "m\(i)",
                                                     createdAt: "2026-03-02T19:05:00.000Z", route: "automate", action: "reply",
                                                     intent: "greeting", rulesVersion: "v1", json: "{\"n\":\(i)}"))
            }, completion: { _ in done.leave() })
        }
        done.wait()
        store.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func tamper(_ sql: String) throws {
        var db: OpaquePointer?
        XCTAssertEqual(sqlite3_open(path, &db), SQLITE_OK)
        defer { sqlite3_close(db) }
        XCTAssertEqual(sqlite3_exec(db, sql, nil, nil, nil), SQLITE_OK, String(cString: sqlite3_errmsg(db)))
    }

    func report() throws -> AuditReport {
        let store = try Store(path: path, auditKey: key)
        defer { store.close() }
        return try store.verifyAudit()
    }

    func testIntactLogVerifies() throws {
        let r = try report()
        XCTAssertTrue(r.ok)
        XCTAssertEqual(r.checked, 50)
        XCTAssertNotNil(r.headMAC)
    }

    func testWrongKeyFails() throws {
        let store = try Store(path: path, auditKey: Array("another".utf8))
        defer { store.close() }
        XCTAssertEqual(try store.verifyAudit().firstBadSeq, 1)
    }

    func testEditedDecisionIsDetected() throws {
        try tamper("UPDATE decisions SET json = '{\"n\":999}' WHERE seq = 17")
        let r = try report()
        XCTAssertFalse(r.ok)
        XCTAssertEqual(r.firstBadSeq, 17)
    }

    func testEditedRouteIsDetected() throws {
        try tamper("UPDATE decisions SET route = 'human' WHERE seq = 3")
        XCTAssertEqual(try report().firstBadSeq, 3)
    }

    func testDeletedMiddleRowIsDetected() throws {
        try tamper("DELETE FROM decisions WHERE seq = 25")
        let r = try report()
        XCTAssertEqual(r.firstBadSeq, 26)
        XCTAssertEqual(r.checked, 49)
    }

    func testReorderedRowsAreDetected() throws {
        try tamper("""
            UPDATE decisions SET seq = -1 WHERE seq = 10; UPDATE decisions SET seq = 10 WHERE seq = 11;
            UPDATE decisions SET seq = 11 WHERE seq = -1;
            """)
        XCTAssertEqual(try report().firstBadSeq, 10)
    }

    func testNewWritesAfterReopenContinueTheChain() throws {
        let store = try Store(path: path, auditKey: key)
        defer { store.close() }
        let head = try store.verifyAudit().headMAC
        let d = try store.writeAndWait { tx in
            try tx.insertDecision(DecisionRecord(id: "d-new", conversationID: "c1", messageID: "mx", createdAt: "t",
                                                 route: "human", action: "escalate", intent: "other", rulesVersion: "v1", json: "{}"))
        }
        XCTAssertEqual(d.seq, 51)
        XCTAssertEqual(d.prevMAC, head)
        XCTAssertEqual(try store.verifyAudit(), AuditReport(checked: 51, firstBadSeq: nil, headMAC: d.mac))
    }
}
