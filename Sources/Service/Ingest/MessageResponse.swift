import Foundation
import IntakeCore

/// An escalation as the message response shows it.
public struct EscalationSummary: Codable, Sendable, Equatable {
    public var id: String
    public var queue: String
    public var priority: Priority
    public var reason: String
}

/// The body of a `POST /v1/messages` answer: `conversation_id`, `message_id`, `decision`,
/// `reply`, `slots`, `booking`, `escalation`. `booking` and `escalation` are always present,
/// as null when empty, so clients can rely on the keys. Written as bytes around the decision's
/// own encoding, which the audit row keeps byte for byte.
enum MessageResponse {}

extension MessageResponse {
    /// The rest of an answer, encoded apart from the decision.
    private struct Rest: Encodable {
        var reply: String
        var slots: [SlotOffer]
        var booking: BookingSummary?
        var escalation: EscalationSummary?

        enum CodingKeys: String, CodingKey { case reply, slots, booking, escalation }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(reply, forKey: .reply)
            try c.encode(slots, forKey: .slots)
            if let booking { try c.encode(booking, forKey: .booking) } else { try c.encodeNil(forKey: .booking) }
            if let escalation { try c.encode(escalation, forKey: .escalation) } else { try c.encodeNil(forKey: .escalation) }
        }
    }

    /// The answer's fields after the decision, encoded once (`{"booking":...}` form).
    static func rest(reply: String, slots: [SlotOffer], booking: BookingSummary?, escalation: EscalationSummary?) -> [UInt8] {
        if slots.isEmpty && booking == nil && escalation == nil {
            var w = JSONWriter()
            w.beginObject()
            w.key("reply"); w.string(reply)
            w.key("slots"); w.beginArray(); w.endArray()
            w.key("booking"); w.null()
            w.key("escalation"); w.null()
            w.endObject()
            return w.bytes
        }
        return JSON.encode(Rest(reply: reply, slots: slots, booking: booking, escalation: escalation))
    }

    /// The answer around an encoded decision and the encoded rest.
    static func bytes(conversationID: String, messageID: String, decisionJSON: [UInt8], rest: [UInt8]) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("conversation_id"); w.string(conversationID)
        w.key("message_id"); w.string(messageID)
        w.key("decision"); w.raw(decisionJSON)
        return w.bytes + [UInt8(ascii: ",")] + rest.dropFirst()
    }
}

/// A slot offered to the patient.
public struct SlotOffer: Codable, Sendable, Equatable {
    public var id: String
    public var service: String
    public var start: String
    public var end: String
    public var provider: String?
    public var location: String?
}

/// A booking as the message response shows it.
public struct BookingSummary: Codable, Sendable, Equatable {
    public var id: String
    public var slot_id: String
    public var status: String
    public var start: String
    public var service: String
}
