import Foundation
import Handoff
import IntakeCore
import Store

/// Builds the handoff packet from what the store holds about a conversation: the messages
/// and the replies Intake sent, the decisions, slots offered and booked.
enum PacketAssembler {
    /// The message being decided, not yet stored when the ingest step builds the snapshot.
    struct Pending {
        var message: InboundMessage
        var decision: Decision?
        var reply: String
        var slots: [SlotOffer]
        var booking: BookingSummary?
        var at: String

        init(_ ctx: IngestContext) {
            message = ctx.message; decision = ctx.decision; reply = ctx.reply; slots = ctx.slots
            booking = ctx.booking; at = RFC3339.format(ctx.now)
        }
    }

    /// What a stored response says was sent back (`reply`, `slots`).
    private struct StoredResponse: Decodable {
        var reply: String?
        var slots: [SlotOffer]?
    }

    static func packet(conversationID: String, escalation: EscalationSnapshot?, in tx: some StoreReading,
                       pending: Pending? = nil) throws -> HandoffPacket {
        let conversation = try tx.conversation(id: conversationID)
        let channel = Channel(rawValue: conversation?.channel ?? "") ?? pending?.message.channel ?? .chat
        var transcript: [PacketMessage] = []
        var offered: [SlotOffer] = []
        for m in try tx.messages(conversationID: conversationID) {
            let response = try? JSON.decode(StoredResponse.self, from: m.responseJSON)
            append(&transcript, id: m.messageID, at: m.receivedAt, channel: Channel(rawValue: m.channel) ?? channel,
                   text: m.text, reply: response?.reply)
            offered += response?.slots ?? []
        }
        var decisions = try tx.decisions(conversationID: conversationID, since: nil, limit: 1000).reversed().compactMap { row in
            (try? JSON.decode(Decision.self, from: row.json)).map { DecisionEntry(decision: $0, messageID: row.messageID, at: row.createdAt) }
        }
        if let p = pending {
            append(&transcript, id: p.message.messageID, at: p.at, channel: p.message.channel, text: p.message.text, reply: p.reply)
            offered += p.slots
            if let d = p.decision { decisions.append(DecisionEntry(decision: d, messageID: p.message.messageID, at: p.at)) }
        }
        let slots = try slotList(conversationID: conversationID, offered: offered, in: tx)
        return HandoffPacket.build(conversationID: conversationID, channel: channel, escalation: escalation,
                                   transcript: transcript, decisions: decisions, slots: slots)
    }

    private static func append(_ t: inout [PacketMessage], id: String, at: String, channel: Channel, text: String, reply: String?) {
        t.append(PacketMessage(messageID: id, at: at, channel: channel, from: "patient", text: text))
        if let reply, !reply.isEmpty {
            t.append(PacketMessage(messageID: id, at: at, channel: channel, from: "system", text: reply))
        }
    }

    /// Booked slots (from the bookings table), then the offered ones not booked, each once.
    private static func slotList(conversationID: String, offered: [SlotOffer], in tx: some StoreReading) throws -> [PacketSlot] {
        var out: [PacketSlot] = []
        for b in try tx.bookings(conversationID: conversationID) where b.status == "booked" {
            guard let s = try tx.slot(id: b.slotID) else { continue }
            out.append(PacketSlot(id: s.id, service: s.service, start: s.start, end: s.end, provider: s.provider,
                                  location: s.location, state: "booked"))
        }
        for o in offered.reversed() where !out.contains(where: { $0.id == o.id }) {
            out.append(PacketSlot(id: o.id, service: o.service, start: o.start, end: o.end, provider: o.provider,
                                  location: o.location, state: "offered"))
        }
        return out
    }
}
