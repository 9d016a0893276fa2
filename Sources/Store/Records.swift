/// A conversation: its channel, dialogue state and status.
public struct ConversationRecord: Sendable, Equatable {
    public var id: String
    public var channel: String
    public var createdAt: String
    public var updatedAt: String
    /// Dialogue state as JSON, `"{}"` when none.
    public var stateJSON: String
    /// `"open"`, `"escalated"` or `"closed"`.
    public var status: String

    /// Creates a conversation record.
    public init(id: String, channel: String, createdAt: String, updatedAt: String, stateJSON: String, status: String) {
        self.id = id; self.channel = channel; self.createdAt = createdAt; self.updatedAt = updatedAt
        self.stateJSON = stateJSON; self.status = status
    }
}

/// One inbound message and the response it got (replayed for a repeated message id).
public struct MessageRecord: Sendable, Equatable {
    /// Assigned on insert.
    public var seq: Int64?
    public var conversationID: String
    public var messageID: String
    public var channel: String
    public var text: String
    public var textSHA256: String
    public var sentAt: String
    public var receivedAt: String
    public var decisionID: String?
    public var responseJSON: String

    /// Creates a message record.
    public init(seq: Int64? = nil, conversationID: String, messageID: String, channel: String, text: String,
                textSHA256: String, sentAt: String, receivedAt: String, decisionID: String?, responseJSON: String) {
        self.seq = seq; self.conversationID = conversationID; self.messageID = messageID; self.channel = channel
        self.text = text; self.textSHA256 = textSHA256; self.sentAt = sentAt; self.receivedAt = receivedAt
        self.decisionID = decisionID; self.responseJSON = responseJSON
    }
}

/// One recorded decision, a link of the audit chain.
public struct DecisionRecord: Sendable, Equatable {
    /// Assigned on insert; consecutive from 1.
    public var seq: Int64?
    public var id: String
    public var conversationID: String
    public var messageID: String
    public var createdAt: String
    public var route: String
    public var action: String
    public var intent: String
    public var rulesVersion: String
    /// The decision JSON exactly as returned by the API.
    public var json: String
    /// Filled by the store (hex).
    public var prevMAC: String?
    /// Filled by the store (hex).
    public var mac: String?

    /// Creates a decision record; `seq`, `prevMAC` and `mac` are assigned by the store.
    public init(seq: Int64? = nil, id: String, conversationID: String, messageID: String, createdAt: String,
                route: String, action: String, intent: String, rulesVersion: String, json: String,
                prevMAC: String? = nil, mac: String? = nil) {
        self.seq = seq; self.id = id; self.conversationID = conversationID; self.messageID = messageID
        self.createdAt = createdAt; self.route = route; self.action = action; self.intent = intent
        self.rulesVersion = rulesVersion; self.json = json; self.prevMAC = prevMAC; self.mac = mac
    }
}

/// An API key: only the SHA-256 of its token is stored.
public struct APIKeyRecord: Sendable, Equatable {
    public var name: String
    public var sha256: String
    /// Comma-separated scopes.
    public var scopes: String
    public var createdAt: String

    /// Creates an API key record.
    public init(name: String, sha256: String, scopes: String, createdAt: String) {
        self.name = name; self.sha256 = sha256; self.scopes = scopes; self.createdAt = createdAt
    }
}
