import XCTest
import IntakeCore
@testable import Handoff

/// Hands out `esc_1`, `evt_2`, ... in order. The lock guards `next`.
final class SequentialIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func make(_ prefix: String) -> String {
        lock.lock(); defer { lock.unlock() }
        next += 1
        return "\(prefix)_\(next)"
    }
}

func decision(_ id: String, _ route: Route, _ action: Action, _ intent: Intent, queue: String? = nil,
              priority: Priority? = nil, entities: Entities = Entities(), reasons: [Reason] = []) -> Decision {
    Decision(id: id, route: route, action: action, intent: intent, confidence: 0.9, complexity: 0.1,
             sensitivity: 0, entities: entities, reasons: reasons, rules_version: "sha256:test",
             queue: queue, priority: priority)
}

final class EscalatorTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_772_000_000)
    let ids = SequentialIDs()
    var escalator: Escalator {
        let ids = self.ids
        return Escalator(sla: SLAPolicy(minutes: ["sla.default.normal": 240, "sla.default.high": 60,
                                                  "sla.default.urgent": 5, "sla.billing.normal": 1440]),
                         newID: { ids.make($0) })
    }

    func testAutomatedMessageWithoutEscalationPlansNothing() {
        let plan = escalator.plan(decision: decision("d1", .automate, .offer_slots, .book_appointment),
                                  conversationID: "c-1", channel: .chat, existing: nil, now: t0)
        XCTAssertEqual(plan, HandoffPlan(kind: .none))
        XCTAssertFalse(plan.suppressesAutomation)
    }

    func testFirstHumanDecisionCreatesEscalation() throws {
        let d = decision("d1", .human, .escalate, .billing, queue: "billing", priority: .normal,
                         reasons: [Reason(code: "intent.billing", rule: "billing.rules:3")])
        let plan = escalator.plan(decision: d, conversationID: "c-1", channel: .sms, existing: nil, now: t0)
        XCTAssertEqual(plan.kind, .create)
        XCTAssertFalse(plan.acknowledge)
        let e = try XCTUnwrap(plan.escalation)
        XCTAssertEqual(e.id, "esc_1")
        XCTAssertEqual(e.queue, "billing")
        XCTAssertEqual(e.priority, .normal)
        XCTAssertEqual(e.status, .open)
        XCTAssertEqual(e.reason, "intent.billing")
        XCTAssertEqual(e.slaDueAt, t0 + 1440 * 60)
        XCTAssertEqual(plan.transitions.map(\.note), ["created from decision d1"])
        XCTAssertEqual(plan.events.map(\.type), [.escalationCreated])
        let data = plan.events[0].data
        XCTAssertEqual(data["decision_id"], .string("d1"))
        XCTAssertEqual(data["channel"], .string("sms"))
        XCTAssertEqual(data["escalation"]?["id"], .string("esc_1"))
        XCTAssertEqual(data["escalation"]?["sla_due_at"], .string("2026-02-26T06:13:20.000Z"))
    }

    func testEmergencyCreatesUrgentEscalationAndEmergencyEvent() throws {
        let d = decision("d1", .emergency, .emergency, .emergency, priority: .high,
                         reasons: [Reason(code: "emergency.chest_pain", rule: "safety.rules:7")])
        let plan = escalator.plan(decision: d, conversationID: "c-2", channel: .voice, existing: nil, now: t0)
        let e = try XCTUnwrap(plan.escalation)
        XCTAssertEqual(e.priority, .urgent, "an emergency is always urgent")
        XCTAssertEqual(e.queue, "triage")
        XCTAssertEqual(e.slaDueAt, t0 + 300)
        XCTAssertEqual(plan.events.map(\.type), [.escalationCreated, .emergencyDetected])
        XCTAssertEqual(plan.events[1].data["reasons"], .array([.string("emergency.chest_pain")]))
        XCTAssertEqual(Set(plan.events.map(\.id)).count, 2, "every event has its own id")
    }

    func open(_ status: EscalationStatus = .open, priority: Priority = .normal) -> EscalationSnapshot {
        EscalationSnapshot(id: "esc_9", conversationID: "c-1", queue: "front_desk", priority: priority,
                           status: status, reason: "intent.human_request", createdAt: t0,
                           slaDueAt: t0 + 14_400, claimedBy: status == .claimed ? "ana" : nil,
                           claimedAt: status == .claimed ? t0 : nil,
                           resolvedAt: status == .resolved ? t0 + 100 : nil,
                           resolution: status == .resolved ? "answered" : nil)
    }

    func testLaterMessageWhileEscalatedIsAttachedAndAcknowledged() {
        for status in [EscalationStatus.open, .claimed] {
            let d = decision("d2", .automate, .book, .book_appointment)
            let plan = escalator.plan(decision: d, conversationID: "c-1", channel: .chat,
                                      existing: open(status), now: t0 + 500)
            XCTAssertEqual(plan.kind, .attach)
            XCTAssertTrue(plan.acknowledge)
            XCTAssertTrue(plan.suppressesAutomation, "the system must not book on its own")
            XCTAssertEqual(plan.escalation, open(status), "nothing about the escalation changes")
            XCTAssertEqual(plan.transitions, [])
            XCTAssertEqual(plan.events, [])
        }
        XCTAssertEqual(Escalator.acknowledgement, "A member of our team has your message.")
    }

    func testEmergencyInLaterMessageRaisesToUrgent() throws {
        let d = decision("d3", .emergency, .emergency, .emergency)
        let now = t0 + 600
        let plan = escalator.plan(decision: d, conversationID: "c-1", channel: .chat,
                                  existing: open(.claimed), now: now)
        XCTAssertEqual(plan.kind, .attach)
        XCTAssertTrue(plan.raised)
        XCTAssertFalse(plan.acknowledge, "an emergency gets the safety reply, not the acknowledgement")
        let e = try XCTUnwrap(plan.escalation)
        XCTAssertEqual(e.priority, .urgent)
        XCTAssertEqual(e.status, .claimed)
        XCTAssertEqual(e.claimedBy, "ana")
        XCTAssertEqual(e.slaDueAt, now + 300, "the deadline moves up to the urgent one")
        XCTAssertEqual(plan.transitions.count, 1)
        XCTAssertEqual(plan.transitions[0].note, "priority normal -> urgent: decision d3")
        XCTAssertEqual(plan.events.map(\.type), [.escalationUpdated, .emergencyDetected])
        XCTAssertEqual(plan.events[0].data["change"], .string("raised"))
        XCTAssertEqual(plan.events[0].data["escalation"]?["priority"], .string("urgent"))

        // A second emergency: already urgent, so no new raise, but the emergency is still reported.
        let again = escalator.plan(decision: decision("d4", .emergency, .emergency, .emergency),
                                   conversationID: "c-1", channel: .chat, existing: e, now: now + 60)
        XCTAssertFalse(again.raised)
        XCTAssertEqual(again.events.map(\.type), [.emergencyDetected])
        XCTAssertEqual(again.escalation?.slaDueAt, now + 300)
    }

    func testPlansWithoutEventsMatchPlansWithThemOtherwise() {
        let ids = self.ids
        let quiet = Escalator(sla: escalator.sla, newID: { ids.make($0) }, emitsEvents: false)
        let d = decision("d5", .emergency, .emergency, .emergency)
        for existing in [nil, open(.claimed), open(.resolved)] {
            let loud = escalator.plan(decision: d, conversationID: "c-1", channel: .chat, existing: existing, now: t0 + 60)
            let plan = quiet.plan(decision: d, conversationID: "c-1", channel: .chat, existing: existing, now: t0 + 60)
            XCTAssertFalse(loud.events.isEmpty)
            XCTAssertEqual(plan.events, [])
            XCTAssertEqual(plan.kind, loud.kind)
            XCTAssertEqual(plan.escalation?.priority, loud.escalation?.priority)
            XCTAssertEqual(plan.escalation?.status, loud.escalation?.status)
            XCTAssertEqual(plan.escalation?.slaDueAt, loud.escalation?.slaDueAt)
            XCTAssertEqual(plan.transitions.map(\.to), loud.transitions.map(\.to))
            XCTAssertEqual([plan.reopened, plan.raised, plan.acknowledge], [loud.reopened, loud.raised, loud.acknowledge])
        }
    }

    func testHumanDecisionWithHigherPriorityRaisesButNeverLowers() {
        let up = escalator.plan(decision: decision("d5", .human, .escalate, .complaint, priority: .high),
                                conversationID: "c-1", channel: .chat, existing: open(), now: t0 + 60)
        XCTAssertTrue(up.raised)
        XCTAssertEqual(up.escalation?.priority, .high)
        XCTAssertEqual(up.escalation?.slaDueAt, t0 + 60 + 3600)
        let down = escalator.plan(decision: decision("d6", .human, .escalate, .billing, priority: .normal),
                                  conversationID: "c-1", channel: .chat, existing: open(priority: .high), now: t0)
        XCTAssertFalse(down.raised)
        XCTAssertEqual(down.escalation?.priority, .high)
    }

    func testResolvedThenPatientWritesReopens() throws {
        let now = t0 + 7200
        let plan = escalator.plan(decision: decision("d7", .automate, .reply, .greeting),
                                  conversationID: "c-1", channel: .sms, existing: open(.resolved), now: now)
        XCTAssertEqual(plan.kind, .attach)
        XCTAssertTrue(plan.reopened)
        XCTAssertTrue(plan.acknowledge)
        let e = try XCTUnwrap(plan.escalation)
        XCTAssertEqual(e.status, .open)
        XCTAssertNil(e.resolution)
        XCTAssertNil(e.resolvedAt)
        XCTAssertEqual(e.slaDueAt, now + 240 * 60, "the deadline restarts from the reopen")
        XCTAssertEqual(plan.transitions.map { "\($0.from)->\($0.to) \($0.actor)" }, ["resolved->open patient"])
        XCTAssertEqual(plan.events.map(\.type), [.escalationUpdated])
        XCTAssertEqual(plan.events[0].data["change"], .string("reopened"))
    }

    func testResolvedThenEmergencyReopensAndRaises() throws {
        let plan = escalator.plan(decision: decision("d8", .emergency, .emergency, .crisis),
                                  conversationID: "c-1", channel: .chat, existing: open(.resolved), now: t0 + 9000)
        XCTAssertTrue(plan.reopened)
        XCTAssertTrue(plan.raised)
        XCTAssertEqual(plan.escalation?.status, .open)
        XCTAssertEqual(plan.escalation?.priority, .urgent)
        XCTAssertEqual(plan.transitions.count, 2)
        XCTAssertEqual(plan.events.map(\.type), [.escalationUpdated, .emergencyDetected])
        XCTAssertEqual(plan.events[0].data["change"], .string("reopened,raised"))
    }
}
