import XCTest
import IntakeCore
@testable import Handoff

final class HandoffPacketTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_772_000_000)

    func escalation(priority: Priority = .normal, status: EscalationStatus = .open, claimedBy: String? = nil) -> EscalationSnapshot {
        EscalationSnapshot(id: "esc_1", conversationID: "c-81", queue: "front_desk", priority: priority,
                           status: status, reason: "intent.human_request", createdAt: t0,
                           slaDueAt: t0 + 3600, claimedBy: claimedBy)
    }

    /// Booking dialogue that ends with a request for a person.
    func bookingThenHuman() -> HandoffPacket {
        let morning = TimeWindow(part_of_day: ["morning"], text: "next week, mornings")
        let transcript = [
            PacketMessage(messageID: "m-1", at: "2026-03-02T14:05:00-05:00", channel: .chat,
                          text: "Can I get a dermatology appointment next week, mornings? It's for my son."),
            PacketMessage(messageID: "m-1r", at: "2026-03-02T14:05:01-05:00", channel: .chat, from: "system",
                          text: "I can offer Tue Mar 10 9:00. Which works for you?"),
            PacketMessage(messageID: "m-2", at: "2026-03-02T14:07:00-05:00", channel: .chat,
                          text: "None of those work, can I talk to someone?"),
        ]
        let d1 = decision("dec_1", .automate, .offer_slots, .book_appointment,
                          entities: Entities(service: "dermatology", time_window: morning, new_patient: true, visit_for: "child"),
                          reasons: [Reason(code: "intent.book_appointment", rule: "booking.rules:14")])
        let d2 = decision("dec_2", .human, .escalate, .human_request,
                          entities: Entities(location: "Downtown"),
                          reasons: [Reason(code: "intent.human_request", rule: "routing.rules:3"),
                                    Reason(code: "route.human_request", rule: "routing.rules:9",
                                           detail: "patient asked for a person")])
        let slots = [PacketSlot(id: "s-1", service: "dermatology", start: "2026-03-10T09:00:00-05:00",
                                end: "2026-03-10T09:30:00-05:00", provider: "Dr. Lee", location: "Downtown")]
        return HandoffPacket.build(conversationID: "c-81", channel: .chat, escalation: escalation(),
                                   transcript: transcript,
                                   decisions: [DecisionEntry(decision: d1, messageID: "m-1", at: "2026-03-02T19:05:00.000Z"),
                                               DecisionEntry(decision: d2, messageID: "m-2", at: "2026-03-02T19:07:00.000Z")],
                                   slots: slots)
    }

    func testBookingThenHumanContents() {
        let p = bookingThenHuman()
        XCTAssertEqual(p.transcript.count, 3)
        XCTAssertEqual(p.entities.service, "dermatology")
        XCTAssertEqual(p.entities.location, "Downtown")
        XCTAssertEqual(p.entities.visit_for, "child")
        XCTAssertEqual(p.entities.new_patient, true)
        XCTAssertEqual(p.entities.time_wishes.map(\.text), ["next week, mornings"])
        XCTAssertEqual(p.decisions.map(\.id), ["dec_1", "dec_2"])
        XCTAssertEqual(p.decisions[1].message_id, "m-2")
        XCTAssertEqual(p.reasons.map(\.text), [
            "the message reads as a request to book an appointment [booking.rules:14]",
            "the message reads as a request to talk to a person [routing.rules:3]",
            "patient asked for a person [routing.rules:9]",
        ])
        XCTAssertEqual(p.escalation?.sla_due_at, "2026-02-25T07:13:20.000Z")
    }

    func testBookingThenHumanSummary() {
        XCTAssertEqual(bookingThenHuman().summary, [
            "Conversation c-81 on chat: 2 patient messages from 2026-03-02T14:05:00-05:00 to 2026-03-02T14:07:00-05:00.",
            "Escalated to the front_desk queue at normal priority, status open, due by 2026-02-25T07:13:20.000Z.",
            "The latest message reads as a request to talk to a person (route human, confidence 0.90).",
            "Extracted: service dermatology; time wishes \"next week, mornings\"; location Downtown; visit for child; new patient.",
            "Why: the message reads as a request to book an appointment [booking.rules:14]; the message reads as a request to talk to a person [routing.rules:3]; patient asked for a person [routing.rules:9].",
            "Decisions so far: offer_slots (automate), escalate (human).",
            "Slots offered: dermatology 2026-03-10T09:00:00-05:00 to 2026-03-10T09:30:00-05:00 with Dr. Lee at Downtown (s-1).",
            "Latest patient message: \"None of those work, can I talk to someone?\"",
        ].joined(separator: " "))
    }

    func testSingleEmergencyMessageWithNothingExtracted() {
        let d = decision("dec_9", .emergency, .emergency, .emergency,
                         reasons: [Reason(code: "emergency.phrase", rule: "safety.rules:4", detail: "matched phrase 'chest pain'"),
                                   Reason(code: "threshold.sensitivity", value: 0.8)])
        let p = HandoffPacket.build(conversationID: "call-1", channel: .voice,
                                    escalation: escalation(priority: .urgent, status: .claimed, claimedBy: "nurse.kim"),
                                    transcript: [PacketMessage(messageID: "seg-1", at: "2026-03-02T19:00:00Z", channel: .voice,
                                                               text: "I have chest pain")],
                                    decisions: [DecisionEntry(decision: d, at: "2026-03-02T19:00:00Z")])
        XCTAssertEqual(p.entities, MergedEntities())
        XCTAssertEqual(p.slots, [])
        XCTAssertEqual(p.reasons.map(\.text), ["matched phrase 'chest pain' [safety.rules:4]",
                                               "rule threshold.sensitivity applied (value 0.80)"])
        XCTAssertTrue(p.summary.hasPrefix("Conversation call-1 on voice: 1 patient message at 2026-03-02T19:00:00Z. Escalated to the front_desk queue at urgent priority, status claimed (claimed by nurse.kim), due by "))
        XCTAssertTrue(p.summary.contains("The latest message reads as a possible medical emergency (route emergency, confidence 0.90)."))
        XCTAssertTrue(p.summary.contains("No service, time, location or patient details were extracted."))
        XCTAssertFalse(p.summary.contains("Slots"), "no slots, no slot sentence")
        XCTAssertTrue(p.summary.hasSuffix("Latest patient message: \"I have chest pain\""))
    }

    func testEntitiesMergeLatestWinsAndKeepsAllServicesAndWishes() {
        let merged = MergedEntities(merging: [
            Entities(service: "dermatology", time_window: TimeWindow(weekdays: [3], after_hour: 15), new_patient: true),
            Entities(service: "cardiology", time_window: TimeWindow(weekdays: [3], after_hour: 15), visit_for: "self"),
            Entities(new_patient: false, visit_for: "spouse", language: "es"),
        ])
        XCTAssertEqual(merged.service, "cardiology")
        XCTAssertEqual(merged.services, ["dermatology", "cardiology"])
        XCTAssertEqual(merged.time_wishes.count, 1, "the same wish twice is kept once")
        XCTAssertEqual(merged.new_patient, false)
        XCTAssertEqual(merged.visit_for, "spouse")
        XCTAssertEqual(PacketSummary.entitySentences(merged),
                       ["Extracted: service dermatology, then cardiology; time wishes Tuesday after 15:00; visit for spouse; existing patient; language es."])
    }

    func testHeldAndBookedSlotsAndNoEscalationYet() {
        let d = decision("dec_1", .automate, .book, .book_appointment, entities: Entities(service: "pediatrics"))
        let p = HandoffPacket.build(conversationID: "c-2", channel: .sms, escalation: nil,
                                    transcript: [], decisions: [DecisionEntry(decision: d, at: "2026-03-02T19:00:00Z")],
                                    slots: [PacketSlot(id: "s-2", service: "pediatrics", start: "A", end: "B", state: "held"),
                                            PacketSlot(id: "s-3", service: "pediatrics", start: "C", end: "D", state: "booked")])
        XCTAssertNil(p.escalation)
        XCTAssertTrue(p.summary.hasPrefix("Conversation c-2 on sms. The latest message"))
        XCTAssertTrue(p.summary.contains("Slots booked: pediatrics C to D (s-3). Slots held: pediatrics A to B (s-2)."))
        XCTAssertFalse(p.summary.contains("Latest patient message"))
    }

    func testPacketJSONRoundTripsWithContractFieldNames() throws {
        let p = bookingThenHuman()
        let json = p.json()
        XCTAssertEqual(try JSONDecoder().decode(HandoffPacket.self, from: json), p)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["conversation_id", "channel", "escalation", "summary", "transcript",
                                          "entities", "reasons", "decisions", "slots"])
        let esc = try XCTUnwrap(object["escalation"] as? [String: Any])
        XCTAssertEqual(esc["sla_due_at"] as? String, "2026-02-25T07:13:20.000Z")
        XCTAssertEqual(esc["status"] as? String, "open")
        let entities = try XCTUnwrap(object["entities"] as? [String: Any])
        XCTAssertEqual(entities["visit_for"] as? String, "child")
    }
}
