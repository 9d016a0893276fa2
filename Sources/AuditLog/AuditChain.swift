import IntakeCore

/// The fields of one decision row that the audit chain covers, in chain order.
public struct AuditFields: Sendable, Equatable {
    public var seq: Int64
    public var id: String
    public var conversationID: String
    public var messageID: String
    public var createdAt: String
    public var route: String
    public var action: String
    public var intent: String
    public var rulesVersion: String
    public var json: String

    /// Creates the covered fields of one decision row.
    public init(seq: Int64, id: String, conversationID: String, messageID: String, createdAt: String,
                route: String, action: String, intent: String, rulesVersion: String, json: String) {
        self.seq = seq; self.id = id; self.conversationID = conversationID; self.messageID = messageID
        self.createdAt = createdAt; self.route = route; self.action = action; self.intent = intent
        self.rulesVersion = rulesVersion; self.json = json
    }
}

/// The decision log's integrity chain: each row's MAC covers the previous row's MAC and the
/// row's canonical bytes, so editing, deleting or reordering rows breaks the chain.
///
/// `mac = HMAC-SHA256(key, prev_mac_hex || "\n" || canonical(row))`, lowercase hex.
public enum AuditChain {
    /// The `prev_mac` of the first row: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)

    /// A deterministic, unambiguous byte string of `fields`: a version tag, then every field as
    /// `<utf8 length>:<bytes>\n` in a fixed order (the length prefix keeps values containing
    /// newlines or colons from being confused with field boundaries).
    public static func canonical(_ fields: AuditFields) -> [UInt8] {
        var out = Array("intake-decision-v1\n".utf8)
        let values = [String(fields.seq), fields.id, fields.conversationID, fields.messageID, fields.createdAt,
                      fields.route, fields.action, fields.intent, fields.rulesVersion, fields.json]
        for value in values {
            let bytes = Array(value.utf8)
            out += Array(String(bytes.count).utf8)
            out.append(UInt8(ascii: ":"))
            out += bytes
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The MAC of a row whose predecessor's MAC is `prev` (hex; `genesis` for the first row).
    public static func mac(key: [UInt8], prev: String, fields: AuditFields) -> String {
        let message = Array(prev.utf8) + [UInt8(ascii: "\n")] + canonical(fields)
        return Digest.hex(Digest.hmacSHA256(key: key, message: message))
    }
}
