import Foundation
import IntakeCore

/// What the system does and says for one message, given the classification and the
/// conversation's status. Pure: no store, no clock.
struct ActionPolicy {
    /// Reply wording, from the rule files' templates with embedded fallbacks.
    let replies: ReplyBook

    struct Outcome: Equatable {
        var action: Action
        var reply: String
        /// Set when the conversation's state raises the route above the classification's.
        var route: Route? = nil
        var reasons: [Reason] = []
        /// The conversation's status after this message.
        var status: ConversationStatus
    }

    func decide(_ c: Classification, status: ConversationStatus, language: String) -> Outcome {
        // An emergency always gets the safety message, whatever the conversation's state.
        if c.route == .emergency {
            let key = c.intent == .crisis ? "reply.crisis" : "reply.emergency"
            return Outcome(action: .emergency, reply: replies.text(key, language), status: .escalated)
        }
        // Once a person has the conversation, the system stops acting on its own in it.
        if status == .escalated {
            return Outcome(action: .escalate, reply: replies.text("reply.acknowledged", language), route: max(c.route, .human),
                           reasons: [Reason(code: "conversation.escalated", detail: "a member of staff has this conversation")],
                           status: .escalated)
        }
        if c.route == .human {
            return Outcome(action: .escalate, reply: replies.text("reply.escalated", language), status: .escalated)
        }
        return automated(c, language: language)
    }

    private func automated(_ c: Classification, language: String) -> Outcome {
        switch c.intent {
        case .book_appointment:
            if c.entities.service == nil {
                return Outcome(action: .clarify, reply: replies.text("reply.clarify.service", language), status: .open)
            }
            return Outcome(action: .offer_slots, reply: replies.text("reply.no_slots", language), status: .open)
        case .reschedule_appointment:
            return Outcome(action: .reschedule, reply: replies.text("reply.reschedule", language), status: .open)
        case .cancel_appointment:
            return Outcome(action: .cancel, reply: replies.text("reply.cancel", language), status: .open)
        case .opt_out:
            return Outcome(action: .opt_out, reply: replies.text("reply.opt_out", language), status: .closed)
        case .general_info:
            return Outcome(action: .reply, reply: replies.text("reply.general_info", language), status: .open)
        case .appointment_inquiry:
            return Outcome(action: .reply, reply: replies.text("reply.appointment_inquiry", language), status: .open)
        case .greeting:
            return Outcome(action: .reply, reply: replies.text("reply.greeting", language), status: .open)
        default:
            return Outcome(action: .clarify, reply: replies.text("reply.clarify", language), status: .open)
        }
    }
}

/// A conversation's status.
public enum ConversationStatus: String, Sendable, Codable {
    case open, escalated, closed
}
