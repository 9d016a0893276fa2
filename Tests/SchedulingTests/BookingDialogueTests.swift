import Foundation
import IntakeCore
import XCTest
@testable import Scheduling

final class BookingDialogueTests: XCTestCase {
    let dermTuesdayMorning = Entities(service: "dermatology",
                                      time_window: TimeWindow(part_of_day: ["morning"], weekdays: [3]))

    func testBookInTwoTurns() {
        var c = Conversation(store: .week())
        let offer = c.say("Can I get a dermatology appointment Tuesday morning?", .book_appointment, dermTuesdayMorning)
        XCTAssertEqual(offer.action, .offer_slots)
        XCTAssertEqual(offer.template, "booking.offer")
        XCTAssertEqual(offer.slots.map(\.id), ["d3-0900", "d3-1000", "d3-1100"], "Tuesday mornings, spread")
        XCTAssertEqual(offer.values["slot1"], "Tuesday, March 3 at 9:00 AM")
        XCTAssertEqual(c.store.held, ["d3-0900", "d3-1000", "d3-1100"])

        let booked = c.say("the second one")
        XCTAssertEqual(booked.action, .book)
        XCTAssertEqual(booked.template, "booking.confirmed")
        XCTAssertEqual(booked.slots.map(\.id), ["d3-1000"])
        XCTAssertEqual(booked.values["booking_id"], "bk-1")
        XCTAssertEqual(booked.values["when"], "Tuesday, March 3 at 10:00 AM")
        XCTAssertEqual(c.store.bookings["bk-1"]?.id, "d3-1000")
        XCTAssertEqual(c.dialogue.state, .booked(bookingID: "bk-1"))
        XCTAssertEqual(c.dialogue.knownBooking?.id, "bk-1")
    }

    func testClarifyServiceThenTimeThenBook() {
        var c = Conversation(store: .week())
        let askService = c.say("I need an appointment", .book_appointment)
        XCTAssertEqual(askService.action, .clarify)
        XCTAssertEqual(askService.template, "booking.ask_service")
        XCTAssertEqual(c.dialogue.state, .needService)
        XCTAssertTrue(c.store.effects.isEmpty, "nothing searched before the service is known")

        let askTime = c.say("dermatology", .book_appointment, Entities(service: "dermatology"))
        XCTAssertEqual(askTime.template, "booking.ask_time")
        XCTAssertEqual(c.dialogue.state, .needTime)

        let offer = c.say("Thursday afternoon", .other,
                          Entities(time_window: TimeWindow(part_of_day: ["afternoon"], weekdays: [5])))
        XCTAssertEqual(offer.action, .offer_slots)
        XCTAssertEqual(offer.slots.prefix(2).map(\.id), ["d5-1400", "d5-1500"])

        let booked = c.say("Thursday at 3")
        XCTAssertEqual(booked.action, .book)
        XCTAssertEqual(booked.slots.map(\.id), ["d5-1500"])
    }

    func testNoTimeAskedWhenSettingsSaySo() {
        var c = Conversation(store: .week(), settings: DialogueSettings(timeZone: newYork, askForTime: false))
        let offer = c.say("dermatology please", .book_appointment, Entities(service: "dermatology"))
        XCTAssertEqual(offer.action, .offer_slots)
        XCTAssertEqual(offer.slots.first?.id, "d3-0900", "soonest first")
    }

    func testNoneWorkThenSomethingLater() {
        var c = Conversation(store: .week())
        let first = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        let latest = first.slots.map(\.start).max()!
        let ask = c.say("none of those work")
        XCTAssertEqual(ask.action, .clarify)
        XCTAssertEqual(ask.template, "booking.ask_other_time")
        XCTAssertEqual(c.dialogue.state, .needTime)

        let later = c.say("something later")
        XCTAssertEqual(later.action, .offer_slots)
        XCTAssertEqual(later.template, "booking.offer_later")
        XCTAssertFalse(later.slots.isEmpty)
        XCTAssertTrue(later.slots.allSatisfy { $0.start > latest }, "only slots after the last offer")
        XCTAssertTrue(Set(later.slots.map(\.id)).isDisjoint(with: first.slots.map(\.id)))

        // "something later" straight after an offer works too.
        let evenLater = c.say("anything later?")
        XCTAssertEqual(evenLater.template, "booking.offer_later")
        XCTAssertTrue(evenLater.slots.allSatisfy { $0.start > later.slots.map(\.start).max()! })
    }

    func testNoneWithANewWishSearchesAgainAtOnce() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        let other = c.say("none of those, do you have Friday?", .other,
                          Entities(time_window: TimeWindow(weekdays: [6])))
        XCTAssertEqual(other.template, "booking.offer_other")
        XCTAssertTrue(other.slots.allSatisfy { $0.id.hasPrefix("d6-") })
    }

    func testHoldExpiryBooksIfStillFreeElseReoffers() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        let booked = c.say("the first one", after: 30)
        XCTAssertEqual(booked.action, .book, "hold lapsed but the slot is still free")
        XCTAssertEqual(booked.slots.map(\.id), ["d3-0900"])

        var d = Conversation(store: .week())
        _ = d.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        d.store.takeAway("d3-0900")
        let reoffer = d.say("the first one", after: 11)
        XCTAssertEqual(reoffer.action, .offer_slots)
        XCTAssertEqual(reoffer.template, "booking.offer_expired")
        XCTAssertFalse(reoffer.slots.map(\.id).contains("d3-0900"))
        XCTAssertTrue(d.store.bookings.isEmpty)
        guard case .offered(_, let until) = d.dialogue.state else { return XCTFail("should be offering") }
        XCTAssertEqual(until, d.clock.addingTimeInterval(600), "a fresh hold of holdMinutes")
    }

    func testSlotTakenMeanwhileReoffers() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        c.store.takeAway("d3-1000")  // another conversation's transaction won
        let reoffer = c.say("the 10:00")
        XCTAssertEqual(reoffer.action, .offer_slots)
        XCTAssertEqual(reoffer.template, "booking.offer_taken")
        XCTAssertFalse(reoffer.slots.map(\.id).contains("d3-1000"))
        let booked = c.say("1")
        XCTAssertEqual(booked.action, .book)
        XCTAssertEqual(c.store.bookings.count, 1)
    }

    func testRescheduleWithConfirmation() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        _ = c.say("first")
        XCTAssertEqual(c.store.bookings["bk-1"]?.id, "d3-0900")

        let confirm = c.say("can I move it to Friday?", .reschedule_appointment,
                            Entities(time_window: TimeWindow(weekdays: [6])))
        XCTAssertEqual(confirm.action, .clarify)
        XCTAssertEqual(confirm.template, "reschedule.confirm")
        XCTAssertEqual(confirm.values["when"], "Tuesday, March 3 at 9:00 AM")
        XCTAssertEqual(c.dialogue.state, .confirmingReschedule(bookingID: "bk-1"))

        let offer = c.say("yes")
        XCTAssertEqual(offer.action, .offer_slots)
        XCTAssertTrue(offer.slots.allSatisfy { $0.id.hasPrefix("d6-") }, "the wish from the first message is kept")

        let done = c.say("the 2nd")
        XCTAssertEqual(done.action, .reschedule)
        XCTAssertEqual(done.template, "reschedule.done")
        XCTAssertEqual(done.values["previous_when"], "Tuesday, March 3 at 9:00 AM")
        XCTAssertEqual(c.store.bookings.count, 1, "old booking cancelled, new one made")
        XCTAssertEqual(c.store.bookings["bk-2"]?.id, offer.slots[1].id)
        XCTAssertTrue(c.store.free.contains { $0.id == "d3-0900" }, "the old slot is free again")
        XCTAssertEqual(c.dialogue.state, .booked(bookingID: "bk-2"))
        // Book first, then cancel: the patient always holds a booking.
        let kinds = c.store.effects.suffix(2).map { step -> String in
            if case .book = step { return "book" }
            if case .cancel = step { return "cancel" }
            return "other"
        }
        XCTAssertEqual(kinds, ["book", "cancel"])
    }

    func testRescheduleDeclinedKeepsBooking() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        _ = c.say("first")
        _ = c.say("I need to reschedule", .reschedule_appointment)
        let kept = c.say("no, never mind")
        XCTAssertEqual(kept.template, "reschedule.kept")
        XCTAssertEqual(c.dialogue.state, .booked(bookingID: "bk-1"))
        XCTAssertEqual(c.store.bookings.count, 1)
    }

    func testCancelWithConfirmation() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        _ = c.say("first")
        let confirm = c.say("please cancel my appointment", .cancel_appointment)
        XCTAssertEqual(confirm.template, "cancel.confirm")
        let kept = c.say("no")
        XCTAssertEqual(kept.template, "cancel.kept")
        XCTAssertEqual(c.store.bookings.count, 1)

        _ = c.say("actually yes cancel it", .cancel_appointment)
        let unclear = c.say("hmm")
        XCTAssertEqual(unclear.template, "cancel.confirm_again")
        let done = c.say("sí")
        XCTAssertEqual(done.action, .cancel)
        XCTAssertEqual(done.template, "cancel.done")
        XCTAssertTrue(c.store.bookings.isEmpty)
        XCTAssertEqual(c.dialogue.state, .idle)
        XCTAssertNil(c.dialogue.knownBooking)
    }

    func testCancelOfBookingFoundByTheService() {
        var c = Conversation(store: .week())
        let existing = slot("d4-0900", "2026-03-04T09:00:00-05:00")
        c.store.bookings["bk-old"] = existing
        c.dialogue.knownBooking = BookingRef(id: "bk-old", slot: existing)
        XCTAssertEqual(c.say("cancel my appointment", .cancel_appointment).template, "cancel.confirm")
        XCTAssertEqual(c.say("yes").template, "cancel.done")
        XCTAssertNil(c.store.bookings["bk-old"])
    }

    func testCancelWithoutKnownBookingEscalates() {
        var c = Conversation(store: .week())
        XCTAssertEqual(c.say("cancel my appointment", .cancel_appointment).escalationReason, "booking.not_found")
    }

    func testEscalateAfterFailedTurns() {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        let again = c.say("banana")
        XCTAssertEqual(again.template, "booking.offer_again")
        XCTAssertEqual(again.slots.count, 3, "the same offer is repeated")
        XCTAssertEqual(c.say("purple").template, "booking.offer_again")
        XCTAssertEqual(c.say("what").escalationReason, "booking.failed_turns")
        XCTAssertEqual(c.dialogue.state, .escalated(reason: "booking.failed_turns"))
        XCTAssertEqual(c.say("the first one").escalationReason, "booking.failed_turns", "stays with staff")
        XCTAssertTrue(c.store.bookings.isEmpty)
    }

    func testNoSlotsEscalates() {
        var c = Conversation(store: FakeStore([]))
        let step = c.say("dermatology Tuesday", .book_appointment, dermTuesdayMorning)
        XCTAssertEqual(step.escalationReason, "booking.no_slots")
        XCTAssertEqual(c.store.effects.count, 1, "no from/to in the window, so one search")
    }

    func testDateRangeWithNothingInsideIsRelaxedOnce() {
        var c = Conversation(store: .week())
        let april = Entities(service: "dermatology",
                             time_window: TimeWindow(from: "2026-04-01T00:00:00-04:00", to: "2026-04-08T00:00:00-04:00"))
        let offer = c.say("dermatology first week of April", .book_appointment, april)
        XCTAssertEqual(offer.action, .offer_slots, "closest alternatives rather than a dead end")
        let searches = c.store.effects.compactMap { step -> SlotQuery? in
            if case .search(let q) = step { return q }
            return nil
        }
        XCTAssertEqual(searches.count, 2)
        XCTAssertEqual(searches[0].from, at("2026-04-01T00:00:00-04:00"))
        XCTAssertEqual(searches[1].from, c.clock)
    }

    func testTurnIsBoundedWhateverTheStoreAnswers() {
        var dialogue = BookingDialogue(settings: DialogueSettings(timeZone: newYork))
        var effects = 0
        let end = dialogue.run(.message(intent: .book_appointment, entities: dermTuesdayMorning, text: "",
                                        now: at("2026-03-02T10:00:00-05:00"))) { step in
            effects += 1
            // A store that always finds a new slot but can never hold it.
            if case .search = step { return .slotsFound([slot("x\(effects)", "2026-03-03T09:00:00-05:00")]) }
            return .held([])
        }
        XCTAssertEqual(end.escalationReason, "booking.loop_limit")
        XCTAssertLessThanOrEqual(effects, BookingDialogue.maxInternalSteps + 1)
    }

    func testUnexpectedEventEscalates() {
        var dialogue = BookingDialogue(settings: DialogueSettings(timeZone: newYork))
        XCTAssertEqual(dialogue.handle(.bookResult(.booked("bk"))), .escalate(reason: "booking.unexpected_event"))
    }

    func testCodableRoundTripMidConversation() throws {
        var c = Conversation(store: .week())
        _ = c.say("dermatology Tuesday morning", .book_appointment, dermTuesdayMorning)
        let json = try JSONEncoder().encode(c.dialogue)
        var restored = try JSONDecoder().decode(BookingDialogue.self, from: json)
        XCTAssertEqual(restored, c.dialogue)
        XCTAssertEqual(restored.settings.timeZone, newYork)
        let store = c.store
        let step = restored.run(.message(intent: .other, entities: Entities(), text: "the third one",
                                         now: c.clock.addingTimeInterval(60))) { store.perform($0) }
        XCTAssertEqual(step.action, .book)
        XCTAssertEqual(step.slots.map(\.id), ["d3-1100"])
    }

    func testSpanishValues() {
        var c = Conversation(store: .week(), settings: DialogueSettings(timeZone: newYork, language: "es"))
        let offer = c.say("cita de dermatología el martes por la mañana", .book_appointment, dermTuesdayMorning)
        XCTAssertEqual(offer.values["slot1"], "martes 3 de marzo a las 9:00")
        let booked = c.say("la segunda")
        XCTAssertEqual(booked.values["when"], "martes 3 de marzo a las 10:00")
    }
}
