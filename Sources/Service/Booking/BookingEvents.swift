import Foundation
import Handoff
import IntakeCore
import Store

/// `booking.created` / `booking.cancelled` webhook events, queued in the outbox inside the
/// transaction that made the change, so an event exists exactly when the change committed.
/// The payload carries identifiers and the slot, never patient fields.
enum BookingEvents {
    /// Why a booking was cancelled, as the `booking.cancelled` event says.
    enum CancelReason: String { case patient, rescheduled, api }

    static func created(_ booking: BookingRecord, slot: SlotRecord?, at: Date, tx: WriteTransaction) throws {
        try enqueue(.bookingCreated, data(booking, slot, status: "booked"), at: at, tx: tx)
    }

    static func cancelled(_ booking: BookingRecord, slot: SlotRecord?, reason: CancelReason, at: Date,
                          tx: WriteTransaction) throws {
        var d = data(booking, slot, status: "cancelled")
        d["reason"] = .string(reason.rawValue)
        d["cancelled_at"] = .string(RFC3339.format(at))
        try enqueue(.bookingCancelled, d, at: at, tx: tx)
    }

    private static func data(_ b: BookingRecord, _ slot: SlotRecord?, status: String) -> [String: JSONValue] {
        var d: [String: JSONValue] = ["booking_id": .string(b.id), "conversation_id": .string(b.conversationID),
                                      "slot_id": .string(b.slotID), "status": .string(status)]
        if let slot {
            d["service"] = .string(slot.service)
            d["start"] = .string(slot.start)
            d["end"] = .string(slot.end)
            if let p = slot.provider { d["provider"] = .string(p) }
            if let l = slot.location { d["location"] = .string(l) }
        }
        return d
    }

    private static func enqueue(_ type: WebhookEventType, _ data: [String: JSONValue], at: Date, tx: WriteTransaction) throws {
        let event = WebhookEvent(type: type, createdAt: at, data: data)
        let stamp = RFC3339.format(at)
        try tx.enqueueOutbox(OutboxRecord(eventID: event.id, type: type.rawValue,
                                          payloadJSON: String(decoding: event.body(), as: UTF8.self),
                                          createdAt: stamp, nextAttemptAt: stamp))
    }
}
