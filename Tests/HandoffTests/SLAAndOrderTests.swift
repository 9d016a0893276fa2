import XCTest
import IntakeCore
@testable import Handoff

final class SLAAndOrderTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_772_000_000)

    func testQueueThresholdThenDefaultThenBuiltIn() {
        let sla = SLAPolicy(minutes: [
            "sla.billing.normal": 1440, "sla.default.normal": 240, "sla.default.urgent": 10,
            "automate.min_confidence": 0.7, "sla.default.high": -5,
        ])
        XCTAssertEqual(sla.minutes(queue: "billing", priority: .normal), 1440)
        XCTAssertEqual(sla.minutes(queue: "front_desk", priority: .normal), 240)
        XCTAssertEqual(sla.minutes(queue: "billing", priority: .urgent), 10)
        XCTAssertEqual(sla.minutes(queue: "billing", priority: .high), 120, "negative values are ignored")
        XCTAssertNil(sla.minutes["automate.min_confidence"], "only sla. thresholds are kept")
        XCTAssertEqual(sla.dueDate(queue: "billing", priority: .normal, from: t0), t0 + 86_400)
        XCTAssertEqual(sla.dueDate(queue: "x", priority: .urgent, from: t0), t0 + 600)
    }

    func snap(_ id: String, _ p: Priority, due: Double, created: Double, status: EscalationStatus = .open,
              queue: String = "front_desk") -> EscalationSnapshot {
        EscalationSnapshot(id: id, conversationID: "c-\(id)", queue: queue, priority: p, status: status,
                           createdAt: t0 + created, slaDueAt: t0 + due)
    }

    func testMostUrgentFirstThenDueThenCreated() {
        let items = [
            snap("a", .normal, due: 100, created: 0),
            snap("b", .urgent, due: 900, created: 5),
            snap("c", .high, due: 50, created: 9),
            snap("d", .urgent, due: 300, created: 8),
            snap("e", .normal, due: 100, created: -1),
            snap("f", .normal, due: 100, created: -1),
        ]
        XCTAssertEqual(EscalationOrder.list(items).map(\.id), ["d", "b", "c", "e", "f", "a"])
    }

    func testFilters() {
        let items = [
            snap("a", .normal, due: 1, created: 0, queue: "billing"),
            snap("b", .urgent, due: 1, created: 0, status: .claimed),
            snap("c", .high, due: 1, created: 0),
            snap("d", .urgent, due: 1, created: 0, status: .resolved, queue: "billing"),
        ]
        XCTAssertEqual(EscalationOrder.list(items, status: .open).map(\.id), ["c", "a"])
        XCTAssertEqual(EscalationOrder.list(items, queue: "billing").map(\.id), ["d", "a"])
        XCTAssertEqual(EscalationOrder.list(items, status: .open, queue: "billing").map(\.id), ["a"])
        XCTAssertEqual(EscalationOrder.list(items, status: .claimed, queue: "billing").map(\.id), [])
    }
}
