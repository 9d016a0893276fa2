/// The closed vocabularies of the contract: routes, actions, intents, channels, priorities.

/// Where a decision sends a message.
public enum Route: String, Codable, Sendable, CaseIterable, Comparable {
    case automate, human, emergency

    /// Urgency order: automate < human < emergency. Safety logic only ever raises it.
    public var urgency: Int {
        switch self { case .automate: 0; case .human: 1; case .emergency: 2 }
    }
    public static func < (a: Route, b: Route) -> Bool { a.urgency < b.urgency }
}

/// What the system does with a message.
public enum Action: String, Codable, Sendable, CaseIterable {
    case clarify, offer_slots, book, cancel, reschedule, reply, escalate, emergency, opt_out, listen
}

/// The intents of the contract (decisions and corpora use these labels).
public enum Intent: String, Codable, Sendable, CaseIterable {
    case book_appointment, reschedule_appointment, cancel_appointment, appointment_inquiry
    case prescription_refill, test_results, billing, insurance, clinical_question
    case general_info, human_request, complaint, emergency, crisis, opt_out, greeting, other
}

/// The channel a message came in on.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case chat, sms, voice
}

/// Priority of an escalation.
public enum Priority: String, Codable, Sendable, CaseIterable, Comparable {
    case urgent, high, normal

    /// Smaller is more urgent.
    public var rank: Int {
        switch self { case .urgent: 0; case .high: 1; case .normal: 2 }
    }
    public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
}
