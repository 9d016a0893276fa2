import XCTest
import IntakeCore
@testable import Handoff

final class EscalationStateTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_772_000_000)

    func testClaimThenResolve() throws {
        var s = EscalationState(priority: .normal)
        let claim = try s.claim(by: "ana", at: t0)
        XCTAssertEqual(claim, Transition(from: .open, to: .claimed, actor: "ana", at: t0))
        XCTAssertEqual(s.status, .claimed)
        XCTAssertEqual(s.claimedBy, "ana")
        XCTAssertEqual(s.claimedAt, t0)
        let done = try s.resolve(by: "ana", at: t0 + 60, outcome: "booked_by_phone", note: "called back")
        XCTAssertEqual(done, Transition(from: .claimed, to: .resolved, actor: "ana", at: t0 + 60, note: "called back"))
        XCTAssertEqual(s.status, .resolved)
        XCTAssertEqual(s.resolution, "booked_by_phone")
        XCTAssertEqual(s.resolvedAt, t0 + 60)
    }

    func testSecondClaimIsConflict() throws {
        var s = EscalationState(priority: .high)
        _ = try s.claim(by: "ana", at: t0)
        XCTAssertThrowsError(try s.claim(by: "ben", at: t0 + 1)) { error in
            XCTAssertEqual((error as? HandoffError)?.code, .conflict)
        }
        XCTAssertEqual(s.claimedBy, "ana", "a losing claim changes nothing")
    }

    func testReleaseReturnsToQueue() throws {
        var s = EscalationState(priority: .normal)
        _ = try s.claim(by: "ana", at: t0)
        let t = try s.release(by: "ana", at: t0 + 5, note: "end of shift")
        XCTAssertEqual(t.from, .claimed)
        XCTAssertEqual(t.to, .open)
        XCTAssertEqual(s.status, .open)
        XCTAssertNil(s.claimedBy)
        _ = try s.claim(by: "ben", at: t0 + 6)
        XCTAssertEqual(s.claimedBy, "ben")
    }

    func testInvalidTransitionsAreTypedErrors() throws {
        var open = EscalationState(priority: .normal)
        XCTAssertThrowsError(try open.release(by: "ana", at: t0)) { XCTAssertEqual(($0 as? HandoffError)?.code, .invalidTransition) }
        XCTAssertThrowsError(try open.reopen(at: t0)) { XCTAssertEqual(($0 as? HandoffError)?.code, .invalidTransition) }

        var resolved = EscalationState(status: .resolved, priority: .normal, resolvedAt: t0, resolution: "done")
        XCTAssertThrowsError(try resolved.claim(by: "ana", at: t0)) { XCTAssertEqual(($0 as? HandoffError)?.code, .invalidTransition) }
        XCTAssertThrowsError(try resolved.resolve(by: "ana", at: t0, outcome: "x")) { XCTAssertEqual(($0 as? HandoffError)?.code, .invalidTransition) }
        XCTAssertThrowsError(try resolved.release(by: "ana", at: t0)) { XCTAssertEqual(($0 as? HandoffError)?.code, .invalidTransition) }
        XCTAssertEqual(resolved.status, .resolved)
    }

    func testResolveStraightFromOpen() throws {
        var s = EscalationState(priority: .normal)
        let t = try s.resolve(by: "lead", at: t0, outcome: "duplicate")
        XCTAssertEqual(t.from, .open)
        XCTAssertEqual(s.status, .resolved)
    }

    func testReopenClearsAssignmentAndResolution() throws {
        var s = EscalationState(priority: .normal)
        _ = try s.claim(by: "ana", at: t0)
        _ = try s.resolve(by: "ana", at: t0 + 10, outcome: "answered")
        let t = try s.reopen(at: t0 + 100)
        XCTAssertEqual(t.from, .resolved)
        XCTAssertEqual(t.to, .open)
        XCTAssertEqual(t.actor, "patient")
        XCTAssertEqual(s.status, .open)
        XCTAssertNil(s.claimedBy)
        XCTAssertNil(s.resolution)
        XCTAssertNil(s.resolvedAt)
    }

    func testRaiseNeverLowers() {
        var s = EscalationState(status: .claimed, priority: .normal, claimedBy: "ana", claimedAt: t0)
        let up = s.raise(to: .urgent, at: t0 + 1, note: "emergency")
        XCTAssertEqual(up?.from, .claimed)
        XCTAssertEqual(up?.to, .claimed)
        XCTAssertEqual(up?.actor, "system")
        XCTAssertEqual(up?.note, "priority normal -> urgent: emergency")
        XCTAssertEqual(s.priority, .urgent)
        XCTAssertNil(s.raise(to: .high, at: t0 + 2), "lowering is ignored")
        XCTAssertNil(s.raise(to: .urgent, at: t0 + 2), "same priority records nothing")
        XCTAssertEqual(s.priority, .urgent)
        XCTAssertEqual(s.status, .claimed, "a raise keeps the assignee")
    }

    func testSnapshotRoundTripFromStoredStrings() throws {
        let snap = try EscalationSnapshot(
            id: "esc_1", conversationID: "c-1", queue: "front_desk", priority: "high", status: "claimed",
            reason: "intent.billing", createdAt: "2026-03-02T19:05:00.000Z", slaDueAt: "2026-03-02T21:05:00Z",
            claimedBy: "ana", claimedAt: "2026-03-02T19:06:00Z", resolvedAt: "", resolution: nil)
        XCTAssertEqual(snap.status, .claimed)
        XCTAssertEqual(snap.priority, .high)
        XCTAssertNil(snap.resolvedAt)
        XCTAssertEqual(snap.slaDueAt.timeIntervalSince(snap.createdAt), 7200)
        var state = snap.state
        XCTAssertThrowsError(try state.claim(by: "ben", at: Date()))
        XCTAssertThrowsError(try EscalationSnapshot(
            id: "e", conversationID: "c", queue: "q", priority: "severe", status: "open", reason: "",
            createdAt: "2026-03-02T19:05:00Z", slaDueAt: "2026-03-02T19:05:00Z", claimedBy: nil,
            claimedAt: nil, resolvedAt: nil, resolution: nil)) {
            XCTAssertEqual($0 as? HandoffError, HandoffError(.invalidValue, "priority"))
        }
    }
}

extension Date {
    static func + (d: Date, seconds: Double) -> Date { d.addingTimeInterval(seconds) }
}
