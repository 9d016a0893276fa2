import Foundation
@_spi(Testing) import Store
import XCTest

final class StoreBasicsTests: StoreTestCase {
    func testFreshDatabaseMigratesAndReopens() throws {
        var store: Store? = try open()
        XCTAssertEqual(try store!.read { try $0.apiKeys() }, [])
        store!.close()
        store = nil
        let again = try open()
        defer { again.close() }
        XCTAssertNil(try again.read { try $0.conversation(id: "nope") })
    }

    /// Per-message lookups use an index, never a scan of a growing table.
    func testPerMessageLookupsUseIndexes() throws {
        try open().close()
        let raw = try RawDB(path: path)
        defer { raw.close() }
        let plans = [
            "SELECT * FROM escalations WHERE conversation_id = 'c' ORDER BY status = 'resolved', created_at DESC, rowid DESC LIMIT 1",
            "SELECT * FROM escalations WHERE conversation_id = 'c' AND status <> 'resolved'",
            "SELECT * FROM bookings WHERE conversation_id = 'c'",
            "SELECT * FROM messages WHERE conversation_id = 'c' AND message_id = 'm'",
            "SELECT * FROM holds WHERE conversation_id = 'c'",
            "SELECT * FROM decisions WHERE conversation_id = 'c' ORDER BY seq DESC LIMIT 5",
            "SELECT * FROM slots s WHERE s.service = 'dermatology' AND s.start >= '2026' ORDER BY s.start, s.id LIMIT 50",
            // The staff queue, as `escalations(status:queue:limit:)` writes it.
            "SELECT * FROM escalations WHERE status = 'open' AND queue = 'billing' ORDER BY sla_due_at LIMIT 100",
            "SELECT * FROM escalations WHERE status = 'open' ORDER BY sla_due_at LIMIT 100",
        ]
        for sql in plans {
            let plan = try raw.strings("EXPLAIN QUERY PLAN " + sql).joined(separator: "; ")
            XCTAssertTrue(plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX"), "\(sql): \(plan)")
            XCTAssertFalse(plan.contains("SCAN escalations") || plan.contains("SCAN bookings") || plan.contains("SCAN messages")
                           || plan.contains("SCAN decisions") || plan.contains("SCAN s "), "\(sql): \(plan)")
        }
        // A booking search (`slots(openOnly: true, ...)`) is answered from the free-slot index.
        let search = try raw.strings("""
            EXPLAIN QUERY PLAN SELECT s.id, s.provider FROM slots s WHERE s.service = 'dermatology' AND s.start >= 'a'
            AND s.start < 'b' AND s.status = 'open' AND s.booked = 0
            AND (s.held_until IS NULL OR s.held_until <= 'n' OR s.held_by = 'c') ORDER BY s.start, s.id LIMIT 20
            """).joined(separator: "; ")
        XCTAssertTrue(search.contains("INDEX slots_free (service=? AND status=? AND booked=? AND start>? AND start<?)"), search)
    }

    func testNewerSchemaIsRefused() throws {
        try open().close()
        let raw = try RawDB(path: path)
        try raw.exec("PRAGMA user_version = 999")
        raw.close()
        XCTAssertThrowsError(try open()) { error in
            XCTAssertEqual(error as? StoreError, .schemaTooNew(999))
        }
    }

    func testRoundTrips() throws {
        let store = try open()
        defer { store.close() }
        let key = APIKeyRecord(name: "admin", sha256: "ab12", scopes: "admin", createdAt: t0)
        let stored = try store.writeAndWait { tx -> DecisionRecord in
            try tx.upsertConversation(conversation("c1"))
            try tx.insertMessage(message("c1", "m1", text: "first", decisionID: "d1"))
            try tx.insertMessage(message("c1", "m2", text: "second line\nwith ünïcode", decisionID: "d2"))
            try tx.insertAPIKey(key)
            try tx.insertDecision(decision("d1", conv: "c1", msg: "m1"))
            // A write job sees its own writes.
            XCTAssertEqual(try tx.message(conversationID: "c1", messageID: "m1")?.text, "first")
            return try tx.insertDecision(decision("d2", conv: "c1", msg: "m2", at: "2026-03-03T10:00:00.000Z"))
        }
        XCTAssertEqual(stored.seq, 2)
        XCTAssertEqual(stored.prevMAC?.count, 64)
        try store.read { tx in
            XCTAssertEqual(try tx.conversation(id: "c1"), conversation("c1"))
            let msgs = try tx.messages(conversationID: "c1")
            XCTAssertEqual(msgs.map(\.messageID), ["m1", "m2"])
            XCTAssertEqual(msgs[1].text, "second line\nwith ünïcode")
            XCTAssertNotNil(msgs[0].seq)
            var expected = message("c1", "m1", text: "first", decisionID: "d1")
            expected.seq = msgs[0].seq
            XCTAssertEqual(try tx.message(conversationID: "c1", messageID: "m1"), expected)
            XCTAssertEqual(try tx.apiKeys(), [key])
            XCTAssertEqual(try tx.decision(id: "d2"), stored)
            let all = try tx.decisions(conversationID: nil, since: nil, limit: 10)
            XCTAssertEqual(all.map(\.id), ["d2", "d1"])
            XCTAssertEqual(all[1].mac, all[0].prevMAC)
            XCTAssertEqual(try tx.decisions(conversationID: "c1", since: "2026-03-03T00:00:00.000Z", limit: 10).map(\.id), ["d2"])
            XCTAssertEqual(try tx.decisions(conversationID: "other", since: nil, limit: 10), [])
            XCTAssertEqual(try tx.decisions(conversationID: nil, since: nil, limit: 1).map(\.id), ["d2"])
        }
    }

    func testUpsertConversationKeepsCreatedAt() throws {
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in try tx.upsertConversation(conversation("c1")) }
        let later = ConversationRecord(id: "c1", channel: "sms", createdAt: "2030-01-01T00:00:00.000Z",
                                       updatedAt: "2026-03-04T00:00:00.000Z", stateJSON: "{\"s\":1}", status: "escalated")
        try store.writeAndWait { tx in try tx.upsertConversation(later) }
        let c = try store.read { try $0.conversation(id: "c1") }
        XCTAssertEqual(c?.createdAt, t0)
        XCTAssertEqual(c?.status, "escalated")
        XCTAssertEqual(c?.stateJSON, "{\"s\":1}")
        XCTAssertEqual(c?.channel, "sms")
    }

    func testDuplicateMessageRollsBackAloneWhileSiblingCommits() throws {
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in try recordTurn(tx, conv: "c1", msg: "m1") }
        let results = Collector<(String, Bool)>()
        let done = DispatchGroup()
        let commitsBefore = store.commitCount
        // Hold the writer busy so both jobs land in the same batch.
        let gate = holdWriter(store, done: done)
        done.enter()
        store.write({ tx in
            try tx.upsertConversation(conversation("c1", status: "escalated"))
            try tx.insertMessage(message("c1", "m1"))          // duplicate: throws
        }, completion: { r in results.add(("dup", (try? r.get()) != nil)); done.leave() })
        done.enter()
        store.write({ tx in try recordTurn(tx, conv: "c2", msg: "m1") },
                    completion: { r in results.add(("sibling", (try? r.get()) != nil)); done.leave() })
        gate.signal()
        done.wait()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: results.all.map { ($0.0, $0.1) }), ["dup": false, "sibling": true])
        XCTAssertEqual(store.commitCount, commitsBefore + 2, "the gate's batch, then both jobs in one batch")
        try store.read { tx in
            XCTAssertEqual(try tx.conversation(id: "c1")?.status, "open", "the failed job's upsert was rolled back")
            XCTAssertNotNil(try tx.message(conversationID: "c2", messageID: "m1"))
            XCTAssertEqual(try tx.messages(conversationID: "c1").count, 1)
        }
        XCTAssertThrowsError(try store.writeAndWait { tx in try tx.insertMessage(message("c1", "m1")) }) { error in
            XCTAssertTrue((error as? StoreError)?.isConstraint ?? false, "\(error)")
        }
    }

    func testDataSurvivesReopen() throws {
        do {
            let store = try open()
            for i in 0..<20 { try store.writeAndWait { tx in try recordTurn(tx, conv: "c\(i % 3)", msg: "m\(i)") } }
            store.close()
        }
        let store = try open()
        defer { store.close() }
        XCTAssertEqual(try store.read { try $0.decisions(conversationID: nil, since: nil, limit: 100).count }, 20)
        try store.writeAndWait { tx in try recordTurn(tx, conv: "c9", msg: "after") }
        let report = try store.verifyAudit()
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 21)
    }
}
