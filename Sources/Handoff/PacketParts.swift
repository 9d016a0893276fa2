import Foundation
import IntakeCore

/// One message of the transcript.
public struct PacketMessage: Codable, Sendable, Equatable {
    public var message_id: String
    /// RFC 3339.
    public var at: String
    public var channel: Channel
    /// `"patient"` for inbound messages, `"system"` for the replies Intake sent.
    public var from: String
    public var text: String

    public init(messageID: String, at: String, channel: Channel, from: String = "patient", text: String) {
        self.message_id = messageID; self.at = at; self.channel = channel; self.from = from; self.text = text
    }
}

/// One decision of the conversation, as the packet lists it.
public struct PacketDecision: Codable, Sendable, Equatable {
    public var id: String
    public var message_id: String?
    /// RFC 3339.
    public var at: String
    public var route: Route
    public var action: Action
    public var intent: Intent
    public var confidence: Double
    public var queue: String?
    public var priority: Priority?
    public var reasons: [String]

    /// The packet's view of `decision`, made for message `messageID` at `at` (RFC 3339).
    public init(_ decision: Decision, messageID: String?, at: String) {
        id = decision.id; message_id = messageID; self.at = at; route = decision.route
        action = decision.action; intent = decision.intent; confidence = decision.confidence
        queue = decision.queue; priority = decision.priority; reasons = decision.reasons.map(\.code)
    }
}

/// A decision with the entities and reasons the packet merges; input to `HandoffPacket.build`.
public struct DecisionEntry: Sendable, Equatable {
    public var decision: Decision
    public var messageID: String?
    /// RFC 3339.
    public var at: String

    public init(decision: Decision, messageID: String? = nil, at: String) {
        self.decision = decision; self.messageID = messageID; self.at = at
    }
}

/// A slot offered to or held for the patient.
public struct PacketSlot: Codable, Sendable, Equatable {
    public var id: String
    public var service: String
    public var start: String
    public var end: String
    public var provider: String?
    public var location: String?
    /// `"offered"`, `"held"` or `"booked"`.
    public var state: String

    public init(id: String, service: String, start: String, end: String, provider: String? = nil,
                location: String? = nil, state: String = "offered") {
        self.id = id; self.service = service; self.start = start; self.end = end
        self.provider = provider; self.location = location; self.state = state
    }
}

/// Entities merged across the conversation: the latest value of each wins, all distinct
/// services and time wishes are kept in the order they came.
public struct MergedEntities: Codable, Sendable, Equatable {
    public var service: String?
    public var services: [String]
    public var time_wishes: [TimeWindow]
    public var location: String?
    public var provider: String?
    public var visit_for: String?
    public var new_patient: Bool?
    public var language: String?

    public init() { services = []; time_wishes = [] }

    /// Merges entities in conversation order.
    public init(merging list: [Entities]) {
        self.init()
        for e in list { merge(e) }
    }

    /// Adds one message's entities.
    public mutating func merge(_ e: Entities) {
        if let s = e.service {
            service = s
            if !services.contains(s) { services.append(s) }
        }
        if let w = e.time_window, !time_wishes.contains(w) { time_wishes.append(w) }
        location = e.location ?? location
        provider = e.provider ?? provider
        visit_for = e.visit_for ?? visit_for
        new_patient = e.new_patient ?? new_patient
        language = e.language ?? language
    }
}

/// A reason in plain words, with the rule that produced it.
public struct PlainReason: Codable, Sendable, Equatable {
    public var code: String
    public var rule: String?
    public var text: String

    public init(_ reason: Reason) {
        code = reason.code; rule = reason.rule
        text = PlainReason.words(for: reason)
    }

    /// The reason's own detail when it has one, else words derived from the code.
    public static func words(for reason: Reason) -> String {
        var text: String
        if let detail = reason.detail, !detail.isEmpty {
            text = detail
        } else if reason.code.hasPrefix("intent."), let intent = Intent(rawValue: String(reason.code.dropFirst(7))) {
            text = "the message reads as " + describe(intent)
        } else {
            text = "rule \(reason.code) applied"
        }
        if let v = reason.value { text += " (value \(format(v)))" }
        if let rule = reason.rule { text += " [\(rule)]" }
        return text
    }

    /// English words for an intent, as used in reasons and the summary.
    public static func describe(_ intent: Intent) -> String {
        switch intent {
        case .book_appointment: "a request to book an appointment"
        case .reschedule_appointment: "a request to reschedule an appointment"
        case .cancel_appointment: "a request to cancel an appointment"
        case .appointment_inquiry: "a question about an existing appointment"
        case .prescription_refill: "a prescription refill request"
        case .test_results: "a question about test results"
        case .billing: "a billing question"
        case .insurance: "an insurance question"
        case .clinical_question: "a clinical question"
        case .general_info: "a general information question"
        case .human_request: "a request to talk to a person"
        case .complaint: "a complaint"
        case .emergency: "a possible medical emergency"
        case .crisis: "a possible crisis (self-harm or suicide risk)"
        case .opt_out: "a request to stop messages"
        case .greeting: "a greeting"
        case .other: "a message outside the known topics"
        }
    }

    static func format(_ v: Double) -> String {
        v.rounded() == v ? String(Int(v)) : String(format: "%.2f", v)
    }
}
