/// Numbered schema migrations. Version N is `all[N - 1]`; `PRAGMA user_version` records the
/// last one applied. Append only: never edit a migration that has shipped.
enum Migrations {
    static let all: [String] = [v0001, v0002, v0003, v0004, v0005, v0006]

    /// Applies every pending migration, each in its own transaction.
    static func migrate(_ db: SQLiteConnection) throws {
        let current = try db.first("PRAGMA user_version") { $0.int(0) } ?? 0
        guard current <= all.count else { throw StoreError.schemaTooNew(current) }
        for version in (current + 1)..<(all.count + 1) {
            try db.exec("BEGIN IMMEDIATE")
            do {
                try db.exec(all[version - 1])
                try db.exec("PRAGMA user_version = \(version)")
                try db.exec("COMMIT")
            } catch {
                try? db.exec("ROLLBACK")
                throw error
            }
        }
    }

    /// Conversations, messages, the decision chain, API keys.
    static let v0001 = """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        state_json TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL
    );
    CREATE TABLE messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        message_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        decision_id TEXT,
        response_json TEXT NOT NULL,
        UNIQUE (conversation_id, message_id)
    );
    CREATE TABLE decisions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        route TEXT NOT NULL,
        action TEXT NOT NULL,
        intent TEXT NOT NULL,
        rules_version TEXT NOT NULL,
        json TEXT NOT NULL,
        prev_mac TEXT NOT NULL,
        mac TEXT NOT NULL
    );
    CREATE INDEX decisions_by_conversation ON decisions (conversation_id, seq);
    CREATE INDEX decisions_by_created ON decisions (created_at);
    CREATE TABLE api_keys (
        name TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """

    /// Scheduling (slots, holds, bookings), escalations and their transitions, the webhook outbox.
    static let v0002 = """
    CREATE TABLE slots (
        id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        provider TEXT,
        location TEXT,
        start TEXT NOT NULL,
        "end" TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'blocked')),
        languages TEXT NOT NULL DEFAULT '',
        new_patients_ok INTEGER,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX slots_by_service_start ON slots (service, start);
    CREATE INDEX slots_by_start ON slots (start);
    CREATE TABLE holds (
        slot_id TEXT NOT NULL REFERENCES slots(id),
        conversation_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (slot_id, conversation_id)
    );
    CREATE INDEX holds_by_conversation ON holds (conversation_id);
    CREATE TABLE bookings (
        id TEXT PRIMARY KEY,
        slot_id TEXT NOT NULL REFERENCES slots(id),
        conversation_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
        created_at TEXT NOT NULL,
        cancelled_at TEXT
    );
    CREATE UNIQUE INDEX bookings_one_per_slot ON bookings (slot_id) WHERE status = 'booked';
    CREATE INDEX bookings_by_conversation ON bookings (conversation_id);
    CREATE TABLE escalations (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        decision_id TEXT,
        queue TEXT NOT NULL,
        priority TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        reason TEXT NOT NULL,
        packet_json TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        claimed_by TEXT,
        claimed_at TEXT,
        resolved_at TEXT,
        resolution TEXT,
        sla_due_at TEXT
    );
    CREATE UNIQUE INDEX escalations_one_active ON escalations (conversation_id) WHERE status <> 'resolved';
    CREATE INDEX escalations_by_status ON escalations (status, queue);
    CREATE TABLE escalation_transitions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        escalation_id TEXT NOT NULL REFERENCES escalations(id),
        at TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT
    );
    CREATE INDEX transitions_by_escalation ON escalation_transitions (escalation_id, seq);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        last_error TEXT,
        delivered_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
    """

    /// Looking up a conversation's latest escalation (resolved ones included, to reopen them) must
    /// not scan the table: the unique index above covers unresolved rows only.
    static let v0003 = """
    CREATE INDEX escalations_by_conversation ON escalations (conversation_id, created_at);
    """

    /// Bookings carry a pseudonymous patient key, so a patient can move or cancel a booking from
    /// a later conversation.
    static let v0004 = """
    ALTER TABLE bookings ADD COLUMN patient_key TEXT;
    CREATE INDEX bookings_by_patient ON bookings (patient_key) WHERE patient_key IS NOT NULL;
    """

    /// Each slot carries whether it is booked and who holds it until when, kept by triggers
    /// from `bookings` and `holds` (which stay the record), so a slot search filters on the
    /// slot row instead of probing both tables for every candidate: with a service's slots
    /// all held, a search read every one of them twice over. A slot has at most one live hold
    /// (searches hide held slots from others); the columns keep the hold that expires last.
    static let v0005 = """
    ALTER TABLE slots ADD COLUMN booked INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE slots ADD COLUMN held_by TEXT;
    ALTER TABLE slots ADD COLUMN held_until TEXT;
    UPDATE slots SET booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slots.id AND b.status = 'booked');
    UPDATE slots SET (held_by, held_until) = (SELECT h.conversation_id, h.expires_at FROM holds h
        WHERE h.slot_id = slots.id ORDER BY h.expires_at DESC LIMIT 1);
    CREATE TRIGGER slots_booked_on_insert AFTER INSERT ON bookings BEGIN
        UPDATE slots SET booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = NEW.slot_id AND b.status = 'booked')
            WHERE id = NEW.slot_id;
    END;
    CREATE TRIGGER slots_booked_on_update AFTER UPDATE ON bookings BEGIN
        UPDATE slots SET booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = slots.id AND b.status = 'booked')
            WHERE id IN (OLD.slot_id, NEW.slot_id);
    END;
    CREATE TRIGGER slots_booked_on_delete AFTER DELETE ON bookings BEGIN
        UPDATE slots SET booked = EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = OLD.slot_id AND b.status = 'booked')
            WHERE id = OLD.slot_id;
    END;
    CREATE TRIGGER slots_held_on_insert AFTER INSERT ON holds BEGIN
        UPDATE slots SET (held_by, held_until) = (SELECT h.conversation_id, h.expires_at FROM holds h
            WHERE h.slot_id = NEW.slot_id ORDER BY h.expires_at DESC LIMIT 1) WHERE id = NEW.slot_id;
    END;
    CREATE TRIGGER slots_held_on_update AFTER UPDATE ON holds BEGIN
        UPDATE slots SET (held_by, held_until) = (SELECT h.conversation_id, h.expires_at FROM holds h
            WHERE h.slot_id = slots.id ORDER BY h.expires_at DESC LIMIT 1) WHERE id IN (OLD.slot_id, NEW.slot_id);
    END;
    CREATE TRIGGER slots_held_on_delete AFTER DELETE ON holds BEGIN
        UPDATE slots SET (held_by, held_until) = (SELECT h.conversation_id, h.expires_at FROM holds h
            WHERE h.slot_id = OLD.slot_id ORDER BY h.expires_at DESC LIMIT 1) WHERE id = OLD.slot_id;
    END;
    """

    /// Free-slot searches read only this index: a candidate's status, booking and hold are
    /// checked without visiting its row, and booked or blocked slots are skipped by range.
    static let v0006 = """
    CREATE INDEX slots_free ON slots (service, status, booked, start, held_until, held_by);
    """
}
