import Foundation
import IntakeCore
import Scheduling
import Store

/// Runs a booking dialogue's effect steps (search, hold, book, cancel) against the store,
/// inside the message's write transaction. Every check and change of one turn happens in that
/// one transaction, and the store's writer runs transactions one at a time, so a slot found
/// free and then booked cannot be booked by anyone in between; the store's unique index on
/// booked slots backs that up.
struct BookingEffects {
    let tx: WriteTransaction
    let conversationID: String
    /// The server's time: holds and bookings are stamped with it, never with a client's clock.
    let now: Date
    let holdSeconds: Double
    /// Whether bookings and cancellations queue their webhook events.
    let events: Bool
    /// The patient's pseudonymous key, recorded on bookings made this turn.
    var patientKey: String? = nil
    /// Most slots one search reads; the dialogue ranks them.
    static let searchLimit = 1000

    /// Bookings made this turn, and bookings cancelled this turn (with their slots).
    private(set) var booked: [(BookingRecord, SlotRecord?)] = []
    private(set) var cancelled: [(BookingRecord, SlotRecord?)] = []

    init(tx: WriteTransaction, conversationID: String, now: Date, holdMinutes: Int, events: Bool) {
        self.tx = tx; self.conversationID = conversationID; self.now = now; self.events = events
        self.holdSeconds = Double(max(0, holdMinutes)) * 60
    }

    /// Performs one effect step and returns the event that answers it.
    mutating func perform(_ step: DialogueStep) throws -> DialogueEvent {
        switch step {
        case .search(let q): return try search(q)
        case .hold(let ids, _):
            // A new offer replaces the conversation's earlier holds.
            try tx.releaseHolds(conversationID: conversationID)
            try tx.holdSlots(ids: ids, conversationID: conversationID, expiresAt: RFC3339.format(now + holdSeconds))
            return .held(ids)
        case .book(let slotID): return try book(slotID)
        case .cancel(let bookingID): return try cancel(bookingID)
        case .reply, .escalate:
            // Not effects: `run` never passes them. Answer with something the dialogue rejects.
            return .held([])
        }
    }

    /// Free slots of the query's service that start no earlier than now (a client's `sent_at`
    /// in the past never brings back a slot that already began).
    private func search(_ q: SlotQuery) throws -> DialogueEvent {
        let from = max(q.from, now)
        if let to = q.to, to <= from { return .slotsFound([]) }
        let rows = try tx.slots(service: q.service, from: RFC3339.format(from), to: q.to.map { RFC3339.format($0) },
                                openOnly: true, limit: Self.searchLimit, now: RFC3339.format(now),
                                conversationID: conversationID)
        let excluded = Set(q.excluding)
        return .slotsFound(rows.filter { !excluded.contains($0.id) }.compactMap(SlotRecords.slot))
    }

    private mutating func book(_ slotID: String) throws -> DialogueEvent {
        let record = BookingRecord(id: IDs.make("bkg"), slotID: slotID, conversationID: conversationID,
                                   createdAt: RFC3339.format(now), patientKey: patientKey)
        switch try tx.book(record) {
        case .booked:
            try tx.releaseHolds(conversationID: conversationID)
            let slot = try tx.slot(id: slotID)
            if events { try BookingEvents.created(record, slot: slot, at: now, tx: tx) }
            booked.append((record, slot))
            return .bookResult(.booked(record.id))
        case .slotTaken: return .bookResult(.taken)
        case .slotMissing: return .bookResult(.missing)
        }
    }

    private mutating func cancel(_ bookingID: String) throws -> DialogueEvent {
        guard let booking = try tx.booking(id: bookingID),
              try tx.cancelBooking(id: bookingID, at: RFC3339.format(now)) else { return .cancelResult(.missing) }
        let slot = try tx.slot(id: booking.slotID)
        // A cancel after a booking in the same turn is the second half of a reschedule.
        if events {
            try BookingEvents.cancelled(booking, slot: slot, reason: booked.isEmpty ? .patient : .rescheduled, at: now, tx: tx)
        }
        cancelled.append((booking, slot))
        return .cancelResult(.cancelled)
    }
}
