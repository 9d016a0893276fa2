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
    /// The answer's fields after the decision, encoded once (`{"reply":...}` form). Written by
    /// hand on the store's writer thread; nested objects keep sorted keys and omit nil fields,
    /// as the `Codable` forms of these types do.
    static func rest(reply: String, slots: [SlotOffer], booking: BookingSummary?, escalation: EscalationSummary?) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("reply"); w.string(reply)
        w.key("slots"); w.beginArray()
        for s in slots {
            w.beginObject()
            w.key("end"); w.string(s.end)
            w.key("id"); w.string(s.id)
            w.field("location", s.location)
            w.field("provider", s.provider)
            w.key("service"); w.string(s.service)
            w.key("start"); w.string(s.start)
            w.endObject()
        }
        w.endArray()
        w.key("booking")
        if let b = booking {
            w.beginObject()
            w.key("id"); w.string(b.id)
            w.key("service"); w.string(b.service)
            w.key("slot_id"); w.string(b.slot_id)
            w.key("start"); w.string(b.start)
            w.key("status"); w.string(b.status)
            w.endObject()
        } else {
            w.null()
        }
        w.key("escalation")
        if let e = escalation {
            w.beginObject()
            w.key("id"); w.string(e.id)
            w.key("priority"); w.string(e.priority.rawValue)
            w.key("queue"); w.string(e.queue)
            w.key("reason"); w.string(e.reason)
            w.endObject()
        } else {
            w.null()
        }
        w.endObject()
        return w.bytes
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
