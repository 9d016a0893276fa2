import AuditLog
import IntakeCore

/// The connection a transaction runs on. Opaque outside the module: it exists so the read
/// queries can be written once, in `StoreReading`, and offered by both transaction kinds.
public struct TransactionHandle {
    let db: SQLiteConnection
}

/// Every read query; both `ReadTransaction` and `WriteTransaction` offer all of them (a write
/// job reads its own uncommitted writes).
public protocol StoreReading {
    /// The underlying connection (opaque).
    var handle: TransactionHandle { get }
}

/// A read-only snapshot of the store, valid only inside `Store.read`.
public final class ReadTransaction: StoreReading {
    public let handle: TransactionHandle
    init(_ db: SQLiteConnection) { handle = TransactionHandle(db: db) }
}

/// The writer's transaction, valid only inside a write job. If the job throws, its writes
/// are rolled back and the rest of the batch goes on (see `Store.write`).
public final class WriteTransaction: StoreReading {
    public let handle: TransactionHandle
    /// The audit key, keyed once for every decision's MAC.
    let auditMAC: Digest.HMACSHA256
    /// The audit chain's head (seq, MAC) after the last decision appended here, so the next
    /// append need not read it back. Nil until first read; the writer drops it whenever a job
    /// or batch is rolled back. Only this writer appends decisions to the database.
    var chainHead: (seq: Int64, mac: String)?
    init(_ db: SQLiteConnection, auditKey: [UInt8]) {
        handle = TransactionHandle(db: db)
        auditMAC = Digest.HMACSHA256(key: auditKey)
    }
}

extension StoreReading {
    var db: SQLiteConnection { handle.db }

    /// The conversation `id`, if recorded.
    public func conversation(id: String) throws -> ConversationRecord? {
        try db.first("SELECT id, channel, created_at, updated_at, state_json, status FROM conversations WHERE id = ?",
                     [.text(id)]) {
            ConversationRecord(id: $0.text(0), channel: $0.text(1), createdAt: $0.text(2), updatedAt: $0.text(3),
                               stateJSON: $0.text(4), status: $0.text(5))
        }
    }

    /// The message `messageID` of conversation `conversationID`, if recorded.
    public func message(conversationID: String, messageID: String) throws -> MessageRecord? {
        try db.first(Self.messageColumns + " WHERE conversation_id = ? AND message_id = ?",
                     [.text(conversationID), .text(messageID)], Self.messageRow)
    }

    /// The messages of a conversation, oldest first.
    public func messages(conversationID: String) throws -> [MessageRecord] {
        try db.all(Self.messageColumns + " WHERE conversation_id = ? ORDER BY seq", [.text(conversationID)], Self.messageRow)
    }

    /// Decisions newest first, optionally of one conversation and created at or after `since`
    /// (an RFC 3339 UTC timestamp as stored), at most `limit`.
    public func decisions(conversationID: String?, since: String?, limit: Int) throws -> [DecisionRecord] {
        // Separate statements per filter so each can use its index ("?1 IS NULL OR ..." defeats
        // the planner and scanned the whole log for every escalated message).
        var filters: [String] = []
        var values: [SQLValue] = []
        if let conversationID { filters.append("conversation_id = ?"); values.append(.text(conversationID)) }
        if let since { filters.append("created_at >= ?"); values.append(.text(since)) }
        let whereClause = filters.isEmpty ? "" : " WHERE " + filters.joined(separator: " AND ")
        values.append(.int(max(0, limit)))
        return try db.all(Self.decisionColumns + whereClause + " ORDER BY seq DESC LIMIT ?", values, Self.decisionRow)
    }

    /// The decision `id`, if recorded.
    public func decision(id: String) throws -> DecisionRecord? {
        try db.first(Self.decisionColumns + " WHERE id = ?", [.text(id)], Self.decisionRow)
    }

    /// Every stored API key, by name.
    public func apiKeys() throws -> [APIKeyRecord] {
        try db.all("SELECT name, sha256, scopes, created_at FROM api_keys ORDER BY name") {
            APIKeyRecord(name: $0.text(0), sha256: $0.text(1), scopes: $0.text(2), createdAt: $0.text(3))
        }
    }

    static var messageColumns: String {
        "SELECT seq, conversation_id, message_id, channel, text, text_sha256, sent_at, received_at, decision_id, response_json FROM messages"
    }
    static func messageRow(_ r: Row) -> MessageRecord {
        MessageRecord(seq: r.int64(0), conversationID: r.text(1), messageID: r.text(2), channel: r.text(3), text: r.text(4),
                      textSHA256: r.text(5), sentAt: r.text(6), receivedAt: r.text(7), decisionID: r.optText(8),
                      responseJSON: r.text(9))
    }
    static var decisionColumns: String {
        "SELECT seq, id, conversation_id, message_id, created_at, route, action, intent, rules_version, json, prev_mac, mac FROM decisions"
    }
    static func decisionRow(_ r: Row) -> DecisionRecord {
        DecisionRecord(seq: r.int64(0), id: r.text(1), conversationID: r.text(2), messageID: r.text(3), createdAt: r.text(4),
                       route: r.text(5), action: r.text(6), intent: r.text(7), rulesVersion: r.text(8), json: r.text(9),
                       prevMAC: r.text(10), mac: r.text(11))
    }
}

extension WriteTransaction {
    /// Inserts or updates a conversation (its `createdAt` is kept from the first insert).
    public func upsertConversation(_ c: ConversationRecord) throws {
        try db.run("""
            INSERT INTO conversations (id, channel, created_at, updated_at, state_json, status) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET channel = excluded.channel, updated_at = excluded.updated_at,
                state_json = excluded.state_json, status = excluded.status
            """, [.text(c.id), .text(c.channel), .text(c.createdAt), .text(c.updatedAt), .text(c.stateJSON), .text(c.status)])
    }

    /// Inserts a message; throws `StoreError.constraint` when the (conversation, message id)
    /// pair exists or the conversation does not.
    public func insertMessage(_ m: MessageRecord) throws {
        try db.run("""
            INSERT INTO messages (conversation_id, message_id, channel, text, text_sha256, sent_at, received_at,
                decision_id, response_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(m.conversationID), .text(m.messageID), .text(m.channel), .text(m.text), .text(m.textSHA256),
                  .text(m.sentAt), .text(m.receivedAt), .text(m.decisionID), .text(m.responseJSON)])
    }

    /// Appends a decision to the audit chain: assigns the next `seq`, links it to the current
    /// head and computes its MAC. Returns the record as stored. The head is read inside this
    /// transaction (or remembered from
    /// the last append of this writer), so a rolled-back job or batch never advances it.
    @discardableResult
    public func insertDecision(_ d: DecisionRecord) throws -> DecisionRecord {
        let head = try chainHead
            ?? db.first("SELECT seq, mac FROM decisions ORDER BY seq DESC LIMIT 1") { (seq: $0.int64(0), mac: $0.text(1)) }
        var row = d
        row.seq = (head?.seq ?? 0) + 1
        row.prevMAC = head?.mac ?? AuditChain.genesis
        row.mac = AuditChain.mac(auditMAC, prev: row.prevMAC!, fields: Self.auditFields(row))
        try db.run("""
            INSERT INTO decisions (seq, id, conversation_id, message_id, created_at, route, action, intent, rules_version,
                json, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.int(row.seq!), .text(row.id), .text(row.conversationID), .text(row.messageID), .text(row.createdAt),
                  .text(row.route), .text(row.action), .text(row.intent), .text(row.rulesVersion), .text(row.json),
                  .text(row.prevMAC), .text(row.mac)])
        chainHead = (row.seq!, row.mac!)
        return row
    }

    /// Stores an API key; throws `StoreError.constraint` for a duplicate name or hash.
    public func insertAPIKey(_ k: APIKeyRecord) throws {
        try db.run("INSERT INTO api_keys (name, sha256, scopes, created_at) VALUES (?, ?, ?, ?)",
                   [.text(k.name), .text(k.sha256), .text(k.scopes), .text(k.createdAt)])
    }

    static func auditFields(_ d: DecisionRecord) -> AuditFields {
        AuditFields(seq: d.seq ?? 0, id: d.id, conversationID: d.conversationID, messageID: d.messageID,
                    createdAt: d.createdAt, route: d.route, action: d.action, intent: d.intent,
                    rulesVersion: d.rulesVersion, json: d.json)
    }
}
