import Foundation
import IntakeCore

/// The escalation header of a packet, in stored (string) form.
public struct PacketEscalation: Codable, Sendable, Equatable {
    public var id: String
    public var queue: String
    public var priority: Priority
    public var status: EscalationStatus
    public var reason: String
    public var created_at: String
    public var sla_due_at: String
    public var claimed_by: String?

    public init(_ e: EscalationSnapshot) {
        id = e.id; queue = e.queue; priority = e.priority; status = e.status; reason = e.reason
        created_at = RFC3339.format(e.createdAt); sla_due_at = RFC3339.format(e.slaDueAt)
        claimed_by = e.claimedBy
    }
}

/// Everything staff need to take over a conversation without asking the patient to repeat
/// themselves: transcript, merged entities, reasons in plain words, decisions, slots, and a
/// one-paragraph English summary built only from those facts. Codable to JSON.
public struct HandoffPacket: Codable, Sendable, Equatable {
    public var conversation_id: String
    public var channel: Channel
    public var escalation: PacketEscalation?
    public var summary: String
    public var transcript: [PacketMessage]
    public var entities: MergedEntities
    public var reasons: [PlainReason]
    public var decisions: [PacketDecision]
    public var slots: [PacketSlot]

    /// Builds the packet. `transcript` and `decisions` are in conversation order.
    public static func build(conversationID: String, channel: Channel, escalation: EscalationSnapshot?,
                             transcript: [PacketMessage], decisions: [DecisionEntry],
                             slots: [PacketSlot] = []) -> HandoffPacket {
        let entities = MergedEntities(merging: decisions.map(\.decision.entities))
        var reasons: [PlainReason] = []
        for reason in decisions.flatMap(\.decision.reasons) {
            let plain = PlainReason(reason)
            if !reasons.contains(plain) { reasons.append(plain) }
        }
        var packet = HandoffPacket(
            conversation_id: conversationID, channel: channel, escalation: escalation.map(PacketEscalation.init),
            summary: "", transcript: transcript, entities: entities, reasons: reasons,
            decisions: decisions.map { PacketDecision($0.decision, messageID: $0.messageID, at: $0.at) },
            slots: slots)
        packet.summary = PacketSummary.write(packet, latest: decisions.last?.decision)
        return packet
    }

    /// Compact JSON with sorted keys, for storing as `packet_json`.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A tree of strings, numbers and arrays: encoding cannot fail.
        return try! encoder.encode(self)
    }
}

/// Writes the summary paragraph. Every sentence states a fact present in the packet; a fact
/// that is absent is left out, never guessed.
enum PacketSummary {
    static func write(_ p: HandoffPacket, latest: Decision?) -> String {
        var s: [String] = []
        let inbound = p.transcript.filter { $0.from == "patient" }
        var opening = "Conversation \(p.conversation_id) on \(p.channel.rawValue)"
        if let first = inbound.first, let last = inbound.last {
            let count = inbound.count == 1 ? "1 patient message" : "\(inbound.count) patient messages"
            opening += first.at == last.at ? ": \(count) at \(first.at)" : ": \(count) from \(first.at) to \(last.at)"
        }
        s.append(opening + ".")
        if let e = p.escalation {
            var text = "Escalated to the \(e.queue) queue at \(e.priority.rawValue) priority, status \(e.status.rawValue)"
            if let who = e.claimed_by { text += " (claimed by \(who))" }
            s.append(text + ", due by \(e.sla_due_at).")
        }
        if let d = latest {
            s.append("The latest message reads as \(PlainReason.describe(d.intent)) (route \(d.route.rawValue), confidence \(PlainReason.format(d.confidence))).")
        }
        s.append(contentsOf: entitySentences(p.entities))
        if !p.reasons.isEmpty {
            s.append("Why: " + p.reasons.map(\.text).joined(separator: "; ") + ".")
        }
        if !p.decisions.isEmpty {
            s.append("Decisions so far: " + p.decisions.map { "\($0.action.rawValue) (\($0.route.rawValue))" }.joined(separator: ", ") + ".")
        }
        for state in ["booked", "held", "offered"] {
            let list = p.slots.filter { $0.state == state }
            if !list.isEmpty { s.append("Slots \(state): " + list.map(describe).joined(separator: "; ") + ".") }
        }
        if let last = inbound.last {
            s.append("Latest patient message: \"\(last.text)\"")
        }
        return s.joined(separator: " ")
    }

    static func entitySentences(_ e: MergedEntities) -> [String] {
        var facts: [String] = []
        if !e.services.isEmpty { facts.append("service " + e.services.joined(separator: ", then ")) }
        if !e.time_wishes.isEmpty { facts.append("time wishes " + e.time_wishes.map(describe).joined(separator: "; ")) }
        if let l = e.location { facts.append("location \(l)") }
        if let pr = e.provider { facts.append("provider \(pr)") }
        if let v = e.visit_for { facts.append("visit for \(v)") }
        if let n = e.new_patient { facts.append(n ? "new patient" : "existing patient") }
        if let lang = e.language { facts.append("language \(lang)") }
        guard !facts.isEmpty else { return ["No service, time, location or patient details were extracted."] }
        return ["Extracted: " + facts.joined(separator: "; ") + "."]
    }

    /// A time wish in the patient's own words when known, else its resolved parts.
    static func describe(_ w: TimeWindow) -> String {
        if let text = w.text, !text.isEmpty { return "\"\(text)\"" }
        var parts: [String] = []
        if let pod = w.part_of_day, !pod.isEmpty { parts.append(pod.joined(separator: "/")) }
        if let days = w.weekdays, !days.isEmpty {
            // Fixed English names: the packet is English whatever the server's locale.
            let names = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
            parts.append(days.compactMap { (1...7).contains($0) ? names[$0 - 1] : nil }.joined(separator: "/"))
        }
        if let h = w.after_hour { parts.append("after \(h):00") }
        if let h = w.before_hour { parts.append("before \(h):00") }
        if let f = w.from { parts.append("from \(f)") }
        if let t = w.to { parts.append("until \(t)") }
        return parts.isEmpty ? "unspecified" : parts.joined(separator: " ")
    }

    static func describe(_ slot: PacketSlot) -> String {
        var text = "\(slot.service) \(slot.start) to \(slot.end)"
        if let p = slot.provider { text += " with \(p)" }
        if let l = slot.location { text += " at \(l)" }
        return text + " (\(slot.id))"
    }
}
