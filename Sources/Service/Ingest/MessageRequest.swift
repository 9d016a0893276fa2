import Foundation
import IntakeCore

/// Limits on an inbound message.
public struct MessageLimits: Sendable {
    public var maxTextBytes = 4000
    public var maxIDBytes = 128
    public init() {}
}

/// Parses and validates the body of `POST /v1/messages` into an `InboundMessage`.
/// Nothing is recorded for a body that fails here.
enum MessageRequest {
    static func parse(_ body: [UInt8], limits: MessageLimits, now: Date,
                      newConversationID: () -> String) throws(APIError) -> InboundMessage {
        let json = try JSONObject.parse(body)
        let messageID = try json.requiredString("message_id", maxLength: limits.maxIDBytes)
        try checkID(messageID, field: "message_id")
        let conversationID = try json.string("conversation_id", maxLength: limits.maxIDBytes) ?? newConversationID()
        try checkID(conversationID, field: "conversation_id")
        let channelText = try json.string("channel", maxLength: 16) ?? "chat"
        guard let channel = Channel(rawValue: channelText) else {
            throw .invalid("'channel' must be one of chat, sms, voice", field: "channel")
        }
        let text = try json.requiredString("text", maxLength: limits.maxTextBytes)
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw .invalid("'text' must not be empty", field: "text")
        }
        let sentAt = try parseSentAt(json.string("sent_at", maxLength: 64), now: now)
        let patient = try parsePatient(json.object("patient"))
        return InboundMessage(conversationID: conversationID, messageID: messageID, channel: channel,
                              text: text, sentAt: sentAt, patient: patient)
    }

    /// Identifiers are printable ASCII without spaces or slashes, so they are safe in paths and logs.
    static func checkID(_ id: String, field: String) throws(APIError) {
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 47 }) else {
            throw .invalid("'\(field)' must be 1-128 printable ASCII characters without spaces or '/'", field: field)
        }
    }

    /// Whether `id` passes `checkID`.
    static func isValidID(_ id: String) -> Bool {
        id.utf8.count <= 128 && (try? checkID(id, field: "id")) != nil
    }

    static func parseSentAt(_ text: String?, now: Date) throws(APIError) -> Date {
        guard let text else { return now }
        guard let date = RFC3339.parse(text) else {
            throw .invalid("'sent_at' must be an RFC 3339 timestamp", field: "sent_at")
        }
        return date
    }

    static func parsePatient(_ object: JSONObject?) throws(APIError) -> PatientInfo? {
        guard let p = object else { return nil }
        return PatientInfo(name: try p.string("name"), phone: try p.string("phone", maxLength: 64),
                           email: try p.string("email"), date_of_birth: try p.string("date_of_birth", maxLength: 32),
                           patient_id: try p.string("patient_id", maxLength: 128), new_patient: try p.bool("new_patient"),
                           language: try p.string("language", maxLength: 16))
    }
}
