/// A webhook event waiting for (or done with) delivery.
public struct OutboxRecord: Sendable, Equatable {
    /// Assigned on insert.
    public var id: Int64?
    /// The id receivers deduplicate on; unique.
    public var eventID: String
    public var type: String
    public var payloadJSON: String
    public var createdAt: String
    public var attempts: Int
    public var nextAttemptAt: String
    /// `"pending"`, `"delivered"` or `"dead"`.
    public var status: String
    public var lastError: String?
    public var deliveredAt: String?

    /// Creates an outbox record; a new event is pending and due at `nextAttemptAt`.
    public init(id: Int64? = nil, eventID: String, type: String, payloadJSON: String, createdAt: String, attempts: Int = 0,
                nextAttemptAt: String, status: String = "pending", lastError: String? = nil, deliveredAt: String? = nil) {
        self.id = id; self.eventID = eventID; self.type = type; self.payloadJSON = payloadJSON; self.createdAt = createdAt
        self.attempts = attempts; self.nextAttemptAt = nextAttemptAt; self.status = status; self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}

/// Counts of outbox events by status.
public struct OutboxStats: Sendable, Equatable {
    public var pending: Int
    public var delivered: Int
    public var dead: Int
    /// Creation time of the oldest pending event, nil when none is pending.
    public var oldestPendingCreatedAt: String?

    /// Creates outbox counts.
    public init(pending: Int, delivered: Int, dead: Int, oldestPendingCreatedAt: String?) {
        self.pending = pending; self.delivered = delivered; self.dead = dead
        self.oldestPendingCreatedAt = oldestPendingCreatedAt
    }
}

extension StoreReading {
    /// Pending events due at `now`, earliest due first, at most `limit`.
    public func dueOutbox(now: String, limit: Int) throws -> [OutboxRecord] {
        try db.all("""
            SELECT id, event_id, type, payload_json, created_at, attempts, next_attempt_at, status, last_error, delivered_at
            FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
            """, [.text(now), .int(max(0, limit))]) {
            OutboxRecord(id: $0.int64(0), eventID: $0.text(1), type: $0.text(2), payloadJSON: $0.text(3),
                         createdAt: $0.text(4), attempts: $0.int(5), nextAttemptAt: $0.text(6), status: $0.text(7),
                         lastError: $0.optText(8), deliveredAt: $0.optText(9))
        }
    }

    /// Counts by status.
    public func outboxStats() throws -> OutboxStats {
        try db.first("""
            SELECT COALESCE(SUM(status = 'pending'), 0), COALESCE(SUM(status = 'delivered'), 0),
                   COALESCE(SUM(status = 'dead'), 0), MIN(CASE WHEN status = 'pending' THEN created_at END) FROM outbox
            """) { OutboxStats(pending: $0.int(0), delivered: $0.int(1), dead: $0.int(2), oldestPendingCreatedAt: $0.optText(3)) }
            ?? OutboxStats(pending: 0, delivered: 0, dead: 0, oldestPendingCreatedAt: nil)
    }
}

extension WriteTransaction {
    /// Queues an event; returns its id, or nil when an event with the same `eventID` is
    /// already queued (enqueueing is idempotent per event id).
    @discardableResult
    public func enqueueOutbox(_ o: OutboxRecord) throws -> Int64? {
        let changed = try db.run("""
            INSERT INTO outbox (event_id, type, payload_json, created_at, attempts, next_attempt_at, status, last_error,
                delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
            """, [.text(o.eventID), .text(o.type), .text(o.payloadJSON), .text(o.createdAt), .int(o.attempts),
                  .text(o.nextAttemptAt), .text(o.status), .text(o.lastError), .text(o.deliveredAt)])
        return changed == 1 ? db.lastInsertRowID : nil
    }

    /// Marks an event delivered; false when it is not pending.
    @discardableResult
    public func markOutboxDelivered(id: Int64, at: String) throws -> Bool {
        try db.run("UPDATE outbox SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'pending'",
                   [.text(at), .int(id)]) == 1
    }

    /// Records a failed attempt: the new attempt count, when to retry, the error (no payload
    /// data), and whether to give up (`dead`). False when the event is not pending.
    @discardableResult
    public func markOutboxFailed(id: Int64, attempts: Int, nextAttemptAt: String, error: String, dead: Bool) throws -> Bool {
        try db.run("""
            UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, status = ? WHERE id = ? AND status = 'pending'
            """, [.int(attempts), .text(nextAttemptAt), .text(error), .text(dead ? "dead" : "pending"), .int(id)]) == 1
    }
}
