import Foundation
import IntakeCore

/// Cancel, reschedule and "when is my appointment": flows on a booking the system knows,
/// each changing it only after the patient confirms.
extension BookingDialogue {
    /// The booking of this conversation, or the one the Service found for the patient.
    var currentBooking: BookingRef? { knownBooking }

    mutating func startCancel(_ entities: Entities) -> DialogueStep {
        guard let booking = currentBooking else { return escalate("booking.not_found") }
        failedTurns = 0
        state = .confirmingCancel(bookingID: booking.id)
        return .reply(action: .clarify, template: "cancel.confirm",
                      values: values([booking.slot], bookingID: booking.id), slots: [booking.slot])
    }

    mutating func startReschedule(_ entities: Entities) -> DialogueStep {
        guard let booking = currentBooking else { return escalate("booking.not_found") }
        resetRequest()
        // The new slot is for the same service; time wishes in this message are kept for the search.
        wishes = entities
        wishes.service = booking.slot.service
        wishes.language = entities.language ?? wishes.language
        state = .confirmingReschedule(bookingID: booking.id)
        return .reply(action: .clarify, template: "reschedule.confirm",
                      values: values([booking.slot], bookingID: booking.id), slots: [booking.slot])
    }

    mutating func inquiry() -> DialogueStep {
        guard let booking = currentBooking else { return escalate("booking.not_found") }
        return .reply(action: .reply, template: "booking.info",
                      values: values([booking.slot], bookingID: booking.id), slots: [booking.slot])
    }

    mutating func onCancelConfirmation(_ answer: Confirmation, bookingID: String) -> DialogueStep {
        switch answer {
        case .yes:
            awaiting = .cancel(bookingID: bookingID, forReschedule: false)
            return .cancel(bookingID)
        case .no:
            state = .booked(bookingID: bookingID)
            failedTurns = 0
            return .reply(action: .reply, template: "cancel.kept", values: bookedValues(), slots: [])
        case .unclear:
            return failedTurn(ask: "cancel.confirm_again")
        }
    }

    mutating func onRescheduleConfirmation(_ answer: Confirmation, _ entities: Entities,
                                           _ bookingID: String) -> DialogueStep {
        switch answer {
        case .yes:
            guard let booking = currentBooking, booking.id == bookingID else { return escalate("booking.not_found") }
            merge(entities)
            wishes.service = booking.slot.service
            rescheduleFrom = booking
            excluded = [booking.slot.id]
            failedTurns = 0
            return proceed()
        case .no:
            state = .booked(bookingID: bookingID)
            resetRequest()
            return .reply(action: .reply, template: "reschedule.kept", values: bookedValues(), slots: [])
        case .unclear:
            return failedTurn(ask: "reschedule.confirm_again")
        }
    }

    mutating func onCancelResult(_ result: CancelResult, bookingID: String, forReschedule: Bool) -> DialogueStep {
        if forReschedule {
            // The new booking stands either way; an old one already gone needs no cancelling.
            guard let booking = knownBooking else { return escalate("booking.not_found") }
            let filled = values([booking.slot], bookingID: booking.id)
            rescheduleFrom = nil
            return .reply(action: .reschedule, template: "reschedule.done", values: filled, slots: [booking.slot])
        }
        let slot = knownBooking?.slot
        if knownBooking?.id == bookingID { knownBooking = nil }
        state = .idle
        resetRequest()
        let template = result == .cancelled ? "cancel.done" : "cancel.already"
        return .reply(action: .cancel, template: template,
                      values: values(slot.map { [$0] } ?? [], bookingID: bookingID), slots: [])
    }

    func bookedValues() -> [String: String] {
        guard let booking = knownBooking else { return values([]) }
        return values([booking.slot], bookingID: booking.id)
    }

    /// Template values: `service`, `service_name`, `count`, `options` (numbered list),
    /// `slot1`..`slotN` (times), and for one slot `when`, `provider`, `location`, `booking_id`.
    func values(_ slots: [Slot], bookingID: String? = nil) -> [String: String] {
        let renderer = ReplyRenderer(timeZone: settings.timeZone, language: wishes.language ?? settings.language,
                                     speakable: settings.speakable)
        var v: [String: String] = ["count": String(slots.count)]
        if let service = slots.first?.service ?? wishes.service {
            v["service"] = service
            v["service_name"] = service.replacingOccurrences(of: "_", with: " ")
        }
        if !slots.isEmpty { v["options"] = renderer.options(slots) }
        for (n, slot) in slots.enumerated() { v["slot\(n + 1)"] = renderer.dateTime(slot.start) }
        if slots.count == 1, let slot = slots.first {
            v["when"] = renderer.dateTime(slot.start)
            v["provider"] = slot.provider.map(renderer.spoken) ?? ""
            v["location"] = slot.location.map(renderer.spoken) ?? ""
        }
        if let bookingID { v["booking_id"] = bookingID }
        if let previous = rescheduleFrom { v["previous_when"] = renderer.dateTime(previous.slot.start) }
        return v
    }
}
