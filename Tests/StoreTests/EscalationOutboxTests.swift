import Foundation
@_spi(Testing) import Store
import XCTest

final class EscalationOutboxTests: StoreTestCase {
    static func escalation(_ id: String, conv: String, priority: String = "normal", sla: String? = nil,
                    at: String = t0) -> EscalationRecord {
        EscalationRecord(id: id, conversationID: conv, decisionID: "dec_\(id)", queue: "front-desk", priority: priority,
                         reason: "asked for a human", packetJSON: "{\"k\":1}", createdAt: at, updatedAt: at, slaDueAt: sla)
    }

    func testEscalationLifecycle() throws {
        let store = try open()
        defer { store.close() }
        let e = Self.escalation("e1", conv: "c1", sla: "2026-03-02T20:00:00.000Z")
        try store.writeAndWait { tx in
            try tx.insertEscalation(e)
            try tx.insertTransition(EscalationTransitionRecord(escalationID: "e1", at: t0, fromStatus: nil, toStatus: "open", actor: "system"))
        }
        XCTAssertEqual(try store.read { try $0.escalation(id: "e1") }, e)
        XCTAssertEqual(try store.read { try $0.activeEscalation(conversationID: "c1") }, e)
        XCTAssertThrowsError(try store.writeAndWait { tx in try tx.insertEscalation(Self.escalation("e2", conv: "c1")) }) {
            XCTAssertTrue(($0 as? StoreError)?.isConstraint ?? false)
        }
        var claimed = e
        claimed.status = "claimed"; claimed.claimedBy = "nurse-1"; claimed.claimedAt = "2026-03-02T19:10:00.000Z"
        claimed.updatedAt = "2026-03-02T19:10:00.000Z"
        var resolved = claimed
        resolved.status = "resolved"; resolved.resolvedAt = "2026-03-02T19:30:00.000Z"; resolved.resolution = "called back"
        let claimedRow = claimed, resolvedRow = resolved
        try store.writeAndWait { tx in
            XCTAssertTrue(try tx.updateEscalation(claimedRow))
            try tx.insertTransition(EscalationTransitionRecord(escalationID: "e1", at: claimedRow.updatedAt, fromStatus: "open",
                                                               toStatus: "claimed", actor: "nurse-1"))
            XCTAssertTrue(try tx.updateEscalation(resolvedRow))
            try tx.insertTransition(EscalationTransitionRecord(escalationID: "e1", at: "2026-03-02T19:30:00.000Z", fromStatus: "claimed",
                                                               toStatus: "resolved", actor: "nurse-1", note: "done"))
            XCTAssertFalse(try tx.updateEscalation(Self.escalation("nope", conv: "c9")))
        }
        try store.read { tx in
            XCTAssertEqual(try tx.escalation(id: "e1"), resolved)
            XCTAssertNil(try tx.activeEscalation(conversationID: "c1"))
            XCTAssertEqual(try tx.transitions(escalationID: "e1").map(\.toStatus), ["open", "claimed", "resolved"])
            XCTAssertEqual(try tx.transitions(escalationID: "e1").last?.note, "done")
        }
        // Once resolved, the conversation may be escalated again.
        try store.writeAndWait { tx in try tx.insertEscalation(Self.escalation("e2", conv: "c1")) }
    }

    func testLatestEscalationPrefersUnresolvedThenNewest() throws {
        let store = try open()
        defer { store.close() }
        XCTAssertNil(try store.read { try $0.latestEscalation(conversationID: "c1") })
        var old = Self.escalation("e1", conv: "c1", at: "2026-03-01T10:00:00.000Z")
        old.status = "resolved"
        var newer = Self.escalation("e2", conv: "c1", at: "2026-03-02T10:00:00.000Z")
        newer.status = "resolved"
        let a = old, b = newer
        try store.writeAndWait { tx in try tx.insertEscalation(a); try tx.insertEscalation(b) }
        XCTAssertEqual(try store.read { try $0.latestEscalation(conversationID: "c1") }?.id, "e2")
        XCTAssertNil(try store.read { try $0.activeEscalation(conversationID: "c1") })
        let open = Self.escalation("e3", conv: "c1", at: "2026-02-01T10:00:00.000Z")
        try store.writeAndWait { tx in try tx.insertEscalation(open) }
        XCTAssertEqual(try store.read { try $0.latestEscalation(conversationID: "c1") }?.id, "e3")
        XCTAssertNil(try store.read { try $0.latestEscalation(conversationID: "c2") })
    }

    func testEscalationListIsMostUrgentFirst() throws {
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in
            try tx.insertEscalation(Self.escalation("n1", conv: "a", at: "2026-03-02T10:00:00.000Z"))
            try tx.insertEscalation(Self.escalation("h1", conv: "b", priority: "high", sla: "2026-03-02T12:00:00.000Z"))
            try tx.insertEscalation(Self.escalation("h0", conv: "c", priority: "high", sla: "2026-03-02T11:00:00.000Z"))
            try tx.insertEscalation(Self.escalation("u1", conv: "d", priority: "urgent"))
            var other = Self.escalation("q1", conv: "e", priority: "urgent")
            other.queue = "billing"
            try tx.insertEscalation(other)
        }
        try store.read { tx in
            XCTAssertEqual(try tx.escalations(status: nil, queue: "front-desk", limit: 10).map(\.id), ["u1", "h0", "h1", "n1"])
            XCTAssertEqual(try tx.escalations(status: "open", queue: nil, limit: 2).map(\.id), ["q1", "u1"])
            XCTAssertEqual(try tx.escalations(status: "resolved", queue: nil, limit: 10), [])
        }
    }

    func testOutboxDeliveryRetriesAndStats() throws {
        let store = try open()
        defer { store.close() }
        @Sendable func event(_ n: Int, due: String) -> OutboxRecord {
            OutboxRecord(eventID: "evt_\(n)", type: "escalation.created", payloadJSON: "{\"n\":\(n)}", createdAt: "2026-03-02T1\(n):00:00.000Z",
                         nextAttemptAt: due)
        }
        let ids = try store.writeAndWait { tx -> [Int64?] in
            [try tx.enqueueOutbox(event(1, due: "2026-03-02T10:00:00.000Z")),
             try tx.enqueueOutbox(event(2, due: "2026-03-02T09:00:00.000Z")),
             try tx.enqueueOutbox(event(3, due: "2026-03-02T23:00:00.000Z")),
             try tx.enqueueOutbox(event(1, due: "2026-03-02T10:00:00.000Z"))]
        }
        XCTAssertNotNil(ids[0]); XCTAssertNil(ids[3], "same event id is queued once")
        let now = "2026-03-02T12:00:00.000Z"
        let due = try store.read { try $0.dueOutbox(now: now, limit: 10) }
        XCTAssertEqual(due.map(\.eventID), ["evt_2", "evt_1"])
        XCTAssertEqual(due[1].payloadJSON, "{\"n\":1}")
        XCTAssertEqual(due[1].id, ids[0])
        try store.writeAndWait { tx in
            XCTAssertTrue(try tx.markOutboxDelivered(id: due[0].id!, at: now))
            XCTAssertFalse(try tx.markOutboxDelivered(id: due[0].id!, at: now))
            XCTAssertTrue(try tx.markOutboxFailed(id: due[1].id!, attempts: 1, nextAttemptAt: "2026-03-02T12:05:00.000Z",
                                                  error: "http 500", dead: false))
        }
        XCTAssertEqual(try store.read { try $0.dueOutbox(now: now, limit: 10) }, [])
        let retry = try store.read { try $0.dueOutbox(now: "2026-03-02T12:06:00.000Z", limit: 10) }
        XCTAssertEqual(retry.map(\.attempts), [1])
        XCTAssertEqual(retry.first?.lastError, "http 500")
        try store.writeAndWait { tx in
            try tx.markOutboxFailed(id: retry[0].id!, attempts: 2, nextAttemptAt: now, error: "timeout", dead: true)
        }
        XCTAssertEqual(try store.read { try $0.outboxStats() },
                       OutboxStats(pending: 1, delivered: 1, dead: 1, oldestPendingCreatedAt: "2026-03-02T13:00:00.000Z"))
    }

    func testEmptyOutboxStats() throws {
        let store = try open()
        defer { store.close() }
        XCTAssertEqual(try store.read { try $0.outboxStats() }, OutboxStats(pending: 0, delivered: 0, dead: 0, oldestPendingCreatedAt: nil))
    }
}
