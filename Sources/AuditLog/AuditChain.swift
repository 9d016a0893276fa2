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
        var out: [UInt8] = []
        append(fields, to: &out)
        return out
    }

    private static func append(_ fields: AuditFields, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + fields.json.utf8.count + 320)
        out.append(contentsOf: "intake-decision-v1\n".utf8)
        for value in [String(fields.seq), fields.id, fields.conversationID, fields.messageID, fields.createdAt,
                      fields.route, fields.action, fields.intent, fields.rulesVersion, fields.json] {
            out.append(contentsOf: String(value.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: value.utf8)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// The MAC of a row whose predecessor's MAC is `prev` (hex; `genesis` for the first row).
    public static func mac(key: [UInt8], prev: String, fields: AuditFields) -> String {
        mac(Digest.HMACSHA256(key: key), prev: prev, fields: fields)
    }

    /// The MAC of a row under an already keyed HMAC (the writer and the verifier key it once).
    public static func mac(_ hmac: Digest.HMACSHA256, prev: String, fields: AuditFields) -> String {
        var message = Array(prev.utf8)
        message.append(UInt8(ascii: "\n"))
        append(fields, to: &message)
        return Digest.hex(hmac.mac(message))
    }
}
