/// A conversation handed to staff.
public struct EscalationRecord: Sendable, Equatable {
    public var id: String
    public var conversationID: String
    public var decisionID: String?
    public var queue: String
    /// `"urgent"`, `"high"` or `"normal"`.
    public var priority: String
    /// `"open"`, `"claimed"` or `"resolved"`.
    public var status: String
    public var reason: String
    /// The handoff packet as JSON.
    public var packetJSON: String
    public var createdAt: String
    public var updatedAt: String
    public var claimedBy: String?
    public var claimedAt: String?
    public var resolvedAt: String?
    public var resolution: String?
    public var slaDueAt: String?

    /// Creates an escalation record.
    public init(id: String, conversationID: String, decisionID: String?, queue: String, priority: String,
                status: String = "open", reason: String, packetJSON: String = "{}", createdAt: String, updatedAt: String,
                claimedBy: String? = nil, claimedAt: String? = nil, resolvedAt: String? = nil, resolution: String? = nil,
                slaDueAt: String? = nil) {
        self.id = id; self.conversationID = conversationID; self.decisionID = decisionID; self.queue = queue
        self.priority = priority; self.status = status; self.reason = reason; self.packetJSON = packetJSON
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.claimedBy = claimedBy; self.claimedAt = claimedAt
        self.resolvedAt = resolvedAt; self.resolution = resolution; self.slaDueAt = slaDueAt
    }
}

/// One status change of an escalation, kept for the audit trail.
public struct EscalationTransitionRecord: Sendable, Equatable {
    public var escalationID: String
    public var at: String
    /// nil for creation.
    public var fromStatus: String?
    public var toStatus: String
    public var actor: String
    public var note: String?

    /// Creates a transition record.
    public init(escalationID: String, at: String, fromStatus: String?, toStatus: String, actor: String, note: String? = nil) {
        self.escalationID = escalationID; self.at = at; self.fromStatus = fromStatus; self.toStatus = toStatus
        self.actor = actor; self.note = note
    }
}

extension StoreReading {
    /// The escalation `id`, if any.
    public func escalation(id: String) throws -> EscalationRecord? {
        try db.first(escalationColumns + " WHERE id = ?", [.text(id)], escalationRow)
    }

    /// The conversation's unresolved escalation (there is at most one), if any.
    public func activeEscalation(conversationID: String) throws -> EscalationRecord? {
        try db.first(escalationColumns + " WHERE conversation_id = ? AND status <> 'resolved'",
                     [.text(conversationID)], escalationRow)
    }

    /// The conversation's most recent escalation in any status (an unresolved one first), if
    /// any: what a new patient message attaches to, reopening it when it was resolved.
    public func latestEscalation(conversationID: String) throws -> EscalationRecord? {
        try db.first(escalationColumns + """
             WHERE conversation_id = ? ORDER BY status = 'resolved', created_at DESC, rowid DESC LIMIT 1
            """, [.text(conversationID)], escalationRow)
    }

    /// Escalations, optionally filtered, most urgent first: priority (urgent, high, normal),
    /// then earliest SLA due (none last), then oldest.
    public func escalations(status: String?, queue: String?, limit: Int) throws -> [EscalationRecord] {
        // Filters are written only when given, so `escalations_by_status` serves the staff queue
        // ("?1 IS NULL OR status = ?1" cannot use an index and scanned every escalation ever made).
        var filters: [String] = []
        var values: [SQLValue] = []
        if let status { filters.append("status = ?"); values.append(.text(status)) }
        if let queue { filters.append("queue = ?"); values.append(.text(queue)) }
        values.append(.int(max(0, limit)))
        let whereClause = filters.isEmpty ? "" : " WHERE " + filters.joined(separator: " AND ")
        return try db.all(escalationColumns + whereClause + """
             ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 ELSE 2 END,
                      sla_due_at IS NULL, sla_due_at, created_at, id
             LIMIT ?
            """, values, escalationRow)
    }

    /// The transitions of an escalation, in the order recorded.
    public func transitions(escalationID: String) throws -> [EscalationTransitionRecord] {
        try db.all("""
            SELECT escalation_id, at, from_status, to_status, actor, note FROM escalation_transitions
            WHERE escalation_id = ? ORDER BY seq
            """, [.text(escalationID)]) {
            EscalationTransitionRecord(escalationID: $0.text(0), at: $0.text(1), fromStatus: $0.optText(2),
                                       toStatus: $0.text(3), actor: $0.text(4), note: $0.optText(5))
        }
    }

    private var escalationColumns: String {
        """
        SELECT id, conversation_id, decision_id, queue, priority, status, reason, packet_json, created_at, updated_at,
               claimed_by, claimed_at, resolved_at, resolution, sla_due_at FROM escalations
        """
    }
    private func escalationRow(_ r: Row) -> EscalationRecord {
        EscalationRecord(id: r.text(0), conversationID: r.text(1), decisionID: r.optText(2), queue: r.text(3),
                         priority: r.text(4), status: r.text(5), reason: r.text(6), packetJSON: r.text(7),
                         createdAt: r.text(8), updatedAt: r.text(9), claimedBy: r.optText(10), claimedAt: r.optText(11),
                         resolvedAt: r.optText(12), resolution: r.optText(13), slaDueAt: r.optText(14))
    }
}

extension WriteTransaction {
    /// Inserts an escalation; throws `StoreError.constraint` when the conversation already has
    /// an unresolved one (or the id exists).
    public func insertEscalation(_ e: EscalationRecord) throws {
        try db.run("""
            INSERT INTO escalations (id, conversation_id, decision_id, queue, priority, status, reason, packet_json,
                created_at, updated_at, claimed_by, claimed_at, resolved_at, resolution, sla_due_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, Self.values(e))
    }

    /// Replaces every field of the escalation `e.id` except its conversation and creation
    /// time; returns false when there is no such escalation.
    @discardableResult
    public func updateEscalation(_ e: EscalationRecord) throws -> Bool {
        try db.run("""
            UPDATE escalations SET decision_id = ?3, queue = ?4, priority = ?5, status = ?6, reason = ?7,
                packet_json = ?8, updated_at = ?10, claimed_by = ?11, claimed_at = ?12, resolved_at = ?13,
                resolution = ?14, sla_due_at = ?15
            WHERE id = ?1 AND conversation_id = ?2 AND created_at = ?9
            """, Self.values(e)) == 1
    }

    /// Records a status change of an escalation.
    public func insertTransition(_ t: EscalationTransitionRecord) throws {
        try db.run("""
            INSERT INTO escalation_transitions (escalation_id, at, from_status, to_status, actor, note)
            VALUES (?, ?, ?, ?, ?, ?)
            """, [.text(t.escalationID), .text(t.at), .text(t.fromStatus), .text(t.toStatus), .text(t.actor), .text(t.note)])
    }

    private static func values(_ e: EscalationRecord) -> [SQLValue] {
        [.text(e.id), .text(e.conversationID), .text(e.decisionID), .text(e.queue), .text(e.priority), .text(e.status),
         .text(e.reason), .text(e.packetJSON), .text(e.createdAt), .text(e.updatedAt), .text(e.claimedBy),
         .text(e.claimedAt), .text(e.resolvedAt), .text(e.resolution), .text(e.slaDueAt)]
    }
}
