/// An appointment slot offered for booking.
public struct SlotRecord: Sendable, Equatable {
    public var id: String
    public var service: String
    public var provider: String?
    public var location: String?
    /// RFC 3339 UTC, as stored (sortable).
    public var start: String
    public var end: String
    /// `"open"` or `"blocked"` (withdrawn by the clinic).
    public var status: String
    /// Comma-separated language codes the slot serves; empty for any.
    public var languages: String
    /// Whether new patients may take the slot; nil when unspecified.
    public var newPatientsOK: Bool?
    public var updatedAt: String

    /// Creates a slot record.
    public init(id: String, service: String, provider: String? = nil, location: String? = nil, start: String, end: String,
                status: String = "open", languages: String = "", newPatientsOK: Bool? = nil, updatedAt: String) {
        self.id = id; self.service = service; self.provider = provider; self.location = location
        self.start = start; self.end = end; self.status = status; self.languages = languages
        self.newPatientsOK = newPatientsOK; self.updatedAt = updatedAt
    }
}

/// A booking of one slot by one conversation.
public struct BookingRecord: Sendable, Equatable {
    public var id: String
    public var slotID: String
    public var conversationID: String
    /// `"booked"` or `"cancelled"`.
    public var status: String
    public var createdAt: String
    public var cancelledAt: String?
    /// A pseudonymous key of the patient (a hash of their identifier), so a later conversation
    /// of the same patient finds the booking; nil when the client sent no identifier.
    public var patientKey: String?

    /// Creates a booking record.
    public init(id: String, slotID: String, conversationID: String, status: String = "booked", createdAt: String,
                cancelledAt: String? = nil, patientKey: String? = nil) {
        self.id = id; self.slotID = slotID; self.conversationID = conversationID; self.status = status
        self.createdAt = createdAt; self.cancelledAt = cancelledAt; self.patientKey = patientKey
    }
}

/// What `book` did.
public enum BookResult: Sendable, Equatable {
    /// The booking is recorded.
    case booked
    /// The slot is booked already, blocked, or held by another conversation.
    case slotTaken
    /// No such slot.
    case slotMissing
}

extension StoreReading {
    /// The slot `id`, if known.
    public func slot(id: String) throws -> SlotRecord? {
        try db.first(slotColumns + " WHERE s.id = ?", [.text(id)], slotRow)
    }

    /// Whether slot `id` could be offered at `now`: open, not booked, not held past `now`.
    public func slotIsFree(id: String, now: String) throws -> Bool {
        try db.first("""
            SELECT 1 FROM slots WHERE id = ? AND status = 'open' AND booked = 0 AND (held_until IS NULL OR held_until <= ?)
            """, [.text(id), .text(now)]) { _ in true } ?? false
    }

    /// Slots by start time, optionally of one `service`, starting in [`from`, `to`). With
    /// `openOnly`, only slots that are not blocked, not booked, and not held past `now` by a
    /// conversation other than `conversationID` (with `now` nil, every hold counts).
    public func slots(service: String?, from: String?, to: String?, openOnly: Bool, limit: Int,
                      now: String? = nil, conversationID: String? = nil) throws -> [SlotRecord] {
        // The WHERE clause is built from the filters given, so the planner can use
        // slots_by_service_start / slots_by_start ("?1 IS NULL OR ..." forces a scan).
        var filters: [String] = []
        var values: [SQLValue] = []
        if let service { filters.append("s.service = ?"); values.append(.text(service)) }
        if let from { filters.append("s.start >= ?"); values.append(.text(from)) }
        if let to { filters.append("s.start < ?"); values.append(.text(to)) }
        if openOnly {
            // `booked`, `held_by` and `held_until` are kept from bookings and holds by triggers.
            var free = "s.status = 'open' AND s.booked = 0 AND (s.held_until IS NULL"
            if let now { free += " OR s.held_until <= ?"; values.append(.text(now)) }
            if let conversationID { free += " OR s.held_by = ?"; values.append(.text(conversationID)) }
            filters.append(free + ")")
        }
        values.append(.int(max(0, limit)))
        let whereClause = filters.isEmpty ? "" : " WHERE " + filters.joined(separator: " AND ")
        return try db.all(slotColumns + whereClause + " ORDER BY s.start, s.id LIMIT ?", values, slotRow)
    }

    /// The booking `id`, if any.
    public func booking(id: String) throws -> BookingRecord? {
        try db.first(bookingColumns + " WHERE id = ?", [.text(id)], bookingRow)
    }

    /// A patient's bookings across conversations, oldest first.
    public func bookings(patientKey: String) throws -> [BookingRecord] {
        try db.all(bookingColumns + " WHERE patient_key = ? ORDER BY created_at, id", [.text(patientKey)], bookingRow)
    }

    /// A conversation's bookings, oldest first.
    public func bookings(conversationID: String) throws -> [BookingRecord] {
        try db.all(bookingColumns + " WHERE conversation_id = ? ORDER BY created_at, id", [.text(conversationID)], bookingRow)
    }

    private var slotColumns: String {
        "SELECT s.id, s.service, s.provider, s.location, s.start, s.\"end\", s.status, s.languages, s.new_patients_ok, s.updated_at FROM slots s"
    }
    private func slotRow(_ r: Row) -> SlotRecord {
        SlotRecord(id: r.text(0), service: r.text(1), provider: r.optText(2), location: r.optText(3), start: r.text(4),
                   end: r.text(5), status: r.text(6), languages: r.text(7), newPatientsOK: r.optBool(8), updatedAt: r.text(9))
    }
    private var bookingColumns: String {
        "SELECT id, slot_id, conversation_id, status, created_at, cancelled_at, patient_key FROM bookings"
    }
    private func bookingRow(_ r: Row) -> BookingRecord {
        BookingRecord(id: r.text(0), slotID: r.text(1), conversationID: r.text(2), status: r.text(3), createdAt: r.text(4),
                      cancelledAt: r.optText(5), patientKey: r.optText(6))
    }
}

extension WriteTransaction {
    /// Inserts or replaces a slot's details (its bookings and holds are kept).
    public func upsertSlot(_ s: SlotRecord) throws {
        try db.run("""
            INSERT INTO slots (id, service, provider, location, start, "end", status, languages, new_patients_ok, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET service = excluded.service, provider = excluded.provider,
                location = excluded.location, start = excluded.start, "end" = excluded."end", status = excluded.status,
                languages = excluded.languages, new_patients_ok = excluded.new_patients_ok, updated_at = excluded.updated_at
            """, [.text(s.id), .text(s.service), .text(s.provider), .text(s.location), .text(s.start), .text(s.end),
                  .text(s.status), .text(s.languages), .bool(s.newPatientsOK), .text(s.updatedAt)])
    }

    /// Holds `ids` for `conversationID` until `expiresAt` (extending an existing hold). Holds
    /// are advisory: `slots(openOnly:)` hides them from other conversations and `book` refuses
    /// them to others until they expire. Throws `StoreError.constraint` for an unknown slot.
    public func holdSlots(ids: [String], conversationID: String, expiresAt: String) throws {
        for id in ids {
            try db.run("""
                INSERT INTO holds (slot_id, conversation_id, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (slot_id, conversation_id) DO UPDATE SET expires_at = excluded.expires_at
                """, [.text(id), .text(conversationID), .text(expiresAt)])
        }
    }

    /// Drops every hold of `conversationID`; returns how many there were.
    @discardableResult
    public func releaseHolds(conversationID: String) throws -> Int {
        try db.run("DELETE FROM holds WHERE conversation_id = ?", [.text(conversationID)])
    }

    /// Books `b.slotID` for `b.conversationID` at `b.createdAt`, unless the slot is missing,
    /// blocked, booked, or held at that time by another conversation. The partial unique index
    /// on booked slots makes a double booking impossible even if two writers raced.
    public func book(_ b: BookingRecord) throws -> BookResult {
        guard let slot = try slot(id: b.slotID) else { return .slotMissing }
        guard slot.status == "open" else { return .slotTaken }
        let heldByOther = try db.first("""
            SELECT 1 FROM holds WHERE slot_id = ? AND conversation_id <> ? AND expires_at > ?
            """, [.text(b.slotID), .text(b.conversationID), .text(b.createdAt)]) { _ in true } ?? false
        if heldByOther { return .slotTaken }
        do {
            try db.run("""
                INSERT INTO bookings (id, slot_id, conversation_id, status, created_at, cancelled_at, patient_key)
                VALUES (?, ?, ?, 'booked', ?, NULL, ?)
                """, [.text(b.id), .text(b.slotID), .text(b.conversationID), .text(b.createdAt), .text(b.patientKey)])
        } catch let error as StoreError where error.isConstraint {
            let taken = try db.first("SELECT 1 FROM bookings WHERE slot_id = ? AND status = 'booked'",
                                     [.text(b.slotID)]) { _ in true } ?? false
            if taken { return .slotTaken }
            throw error
        }
        try db.run("DELETE FROM holds WHERE slot_id = ? AND conversation_id = ?", [.text(b.slotID), .text(b.conversationID)])
        return .booked
    }

    /// Cancels a booking; true when it was booked (false when missing or already cancelled).
    @discardableResult
    public func cancelBooking(id: String, at: String) throws -> Bool {
        try db.run("UPDATE bookings SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'booked'",
                   [.text(at), .text(id)]) == 1
    }
}
