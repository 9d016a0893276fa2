import Foundation
import IntakeCore
import RuleEngine
import Scheduling
import Store

/// The booking dialogue as an ingest step: for automated booking, reschedule, cancel and
/// "when is my appointment" messages, and for the answers of a dialogue waiting for a pick or
/// a confirmation, it runs `Scheduling.BookingDialogue` against the store inside the message's
/// transaction and sets the action, reply, offered slots and booking of the answer. When the
/// dialogue gives up it hands the conversation to staff (route human, action escalate, with
/// the dialogue's reason code); the escalation step records the escalation from that decision.
struct BookingStep: IngestStep {
    /// The clinic's time zone: how times are read and rendered.
    let timeZone: TimeZone
    /// Queue `booking.*` webhook events (false without `[webhook]`: nothing would deliver them).
    let webhooks: Bool

    /// Intents the dialogue serves on its own.
    static let bookingIntents: Set<Intent> = [.book_appointment, .reschedule_appointment, .cancel_appointment,
                                              .appointment_inquiry]
    /// Intents that always leave the dialogue: the patient wants a person, is in danger, or opts out.
    static let leavingIntents: Set<Intent> = [.human_request, .emergency, .crisis, .opt_out, .complaint]

    func apply(_ ctx: inout IngestContext, tx: WriteTransaction) throws {
        // Once staff have the conversation, or in an emergency, the system does not act.
        guard ctx.existing?.status != ConversationStatus.escalated.rawValue, ctx.route != .emergency,
              ctx.action != .emergency else { return }
        let settings = Self.settings(ctx, timeZone: timeZone)
        var dialogue = DialogueStateJSON.load(ctx.stateJSON) ?? BookingDialogue(settings: settings)
        if case .escalated = dialogue.state {
            // Staff closed the earlier handoff: start a fresh dialogue, keeping the booking it knows.
            let known = dialogue.knownBooking
            dialogue = BookingDialogue(settings: settings)
            dialogue.knownBooking = known
        }
        dialogue.settings = settings
        // Whether the dialogue takes a message depends on the known booking only for "when is
        // my appointment"; any other message it would leave goes before the store is read.
        let inquiry = ctx.classification.intent == .appointment_inquiry
        var engagement = Self.engagement(ctx, dialogue)
        if engagement == .leave && !inquiry { return }
        let patientKey = Self.patientKey(ctx.message.patient)
        try refreshKnownBooking(&dialogue, conversationID: ctx.message.conversationID, patientKey: patientKey, tx: tx)
        if inquiry { engagement = Self.engagement(ctx, dialogue) }
        guard case .take(let why) = engagement else { return }

        var effects = BookingEffects(tx: tx, conversationID: ctx.message.conversationID, now: ctx.now,
                                     holdMinutes: settings.holdMinutes, events: webhooks)
        effects.patientKey = patientKey
        let c = ctx.classification
        let step = try dialogue.run(.message(intent: c.intent, entities: Self.entities(ctx), text: ctx.message.text,
                                             now: ctx.message.sentAt)) { try effects.perform($0) }
        if let why { ctx.reasons.append(why) }
        switch step {
        case .reply(let action, let template, let values, let slots):
            ctx.route = .automate
            ctx.status = .open
            ctx.action = action
            ctx.reply = Self.text(ctx, template, values)
            ctx.slots = slots.map(Self.offer)
            ctx.booking = Self.summary(action: action, dialogue: dialogue, effects: effects)
            ctx.reasons.append(Reason(code: "booking.\(action.rawValue)", detail: "booking dialogue reply \(template)"))
        case .escalate(let reason):
            try tx.releaseHolds(conversationID: ctx.message.conversationID)
            ctx.route = max(ctx.route, .human)
            ctx.action = .escalate
            ctx.status = .escalated
            ctx.reply = ctx.text("reply.escalated")
            ctx.queue = ctx.queue ?? "scheduling"
            ctx.priority = ctx.priority ?? .normal
            ctx.reasons.append(Reason(code: reason, detail: BookingTemplates.escalationReasons[reason]))
            ctx.booking = Self.summary(action: .escalate, dialogue: dialogue, effects: effects)
        case .search, .hold, .book, .cancel:
            break  // `run` returns only when the turn ends
        }
        ctx.stateJSON = DialogueStateJSON.store(dialogue, in: ctx.stateJSON)
    }

    /// Whether the dialogue takes a message.
    enum Engagement: Equatable {
        /// Left to the action policy.
        case leave
        /// Taken, with a reason to record when the dialogue overrides the rules' route.
        case take(Reason?)
    }

    /// Whether the dialogue takes this message.
    static func engagement(_ ctx: IngestContext, _ dialogue: BookingDialogue) -> Engagement {
        let c = ctx.classification
        if leavingIntents.contains(c.intent) { return .leave }
        if ctx.route == .automate && bookingIntents.contains(c.intent) {
            // "When is my appointment" without a known booking keeps the policy's answer.
            if c.intent == .appointment_inquiry && dialogue.knownBooking == nil && !awaitsAnswer(dialogue) { return .leave }
            return .take(nil)
        }
        guard awaitsAnswer(dialogue) else { return .leave }
        // A pick ("the second one", "yes", "Tuesday at 9") rarely classifies with confidence;
        // while the dialogue waits for one, it wins unless the rules are sure of something else.
        let minConfidence = ctx.ruleSet.threshold("automate.min_confidence") ?? 0.7
        let vague = [.other, .greeting].contains(c.intent) || c.confidence < minConfidence
        guard vague || bookingIntents.contains(c.intent) else { return .leave }
        if ctx.route == .automate { return .take(nil) }
        return .take(Reason(code: "booking.awaiting_answer",
                            detail: "the booking dialogue was waiting for the patient's choice; the rules' \(ctx.route.rawValue) route was not certain"))
    }

    /// True while the dialogue waits for a service, a time, a pick or a yes/no.
    static func awaitsAnswer(_ d: BookingDialogue) -> Bool {
        switch d.state {
        case .needService, .needTime, .offered, .confirmingCancel, .confirmingReschedule: true
        case .idle, .booked, .escalated: false
        }
    }

    /// Drops a remembered booking cancelled meanwhile (by staff through the API), and picks up
    /// the conversation's active booking when the dialogue knows none.
    /// The booking the dialogue can cancel or move: the conversation's own, else (when the
    /// client identified the patient) the patient's latest from another conversation.
    func refreshKnownBooking(_ d: inout BookingDialogue, conversationID: String, patientKey: String?,
                             tx: WriteTransaction) throws {
        if let known = d.knownBooking, try tx.booking(id: known.id)?.status != "booked" { d.knownBooking = nil }
        guard d.knownBooking == nil else { return }
        var active = try tx.bookings(conversationID: conversationID).last(where: { $0.status == "booked" })
        if active == nil, let patientKey {
            active = try tx.bookings(patientKey: patientKey).last(where: { $0.status == "booked" })
        }
        guard let active, let record = try tx.slot(id: active.slotID), let slot = SlotRecords.slot(record) else { return }
        d.knownBooking = BookingRef(id: active.id, slot: slot)
    }

    /// A pseudonymous key for the patient: SHA-256 of their normalized identifier (the clinic's
    /// patient id, else the phone number's last ten digits, else the e-mail address). The
    /// identifier itself is never stored with the booking.
    static func patientKey(_ p: PatientInfo?) -> String? {
        guard let p else { return nil }
        if let id = p.patient_id?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
            return "sha256:" + Digest.sha256Hex("intake.patient.id:" + id.lowercased())
        }
        if let phone = p.phone {
            let digits = phone.filter(\.isNumber)
            if digits.count >= 7 { return "sha256:" + Digest.sha256Hex("intake.patient.tel:" + String(digits.suffix(10))) }
        }
        if let email = p.email?.trimmingCharacters(in: .whitespaces).lowercased(), email.contains("@") {
            return "sha256:" + Digest.sha256Hex("intake.patient.mail:" + email)
        }
        return nil
    }

    /// Dialogue settings from the rule set's thresholds, the clinic zone and the channel.
    static func settings(_ ctx: IngestContext, timeZone: TimeZone) -> DialogueSettings {
        let hold = ctx.ruleSet.threshold("booking.hold_minutes") ?? 10
        let failed = ctx.ruleSet.threshold("booking.max_failed_turns") ?? 3
        return DialogueSettings(timeZone: timeZone, holdMinutes: max(0, Int(hold.rounded())),
                                maxFailedTurns: max(1, Int(failed.rounded())), language: ctx.language,
                                speakable: ctx.message.channel == .voice)
    }

    /// The engine's entities with what the client said about the patient (new patient, language).
    static func entities(_ ctx: IngestContext) -> Entities {
        var e = ctx.classification.entities
        if let p = ctx.message.patient {
            e.new_patient = p.new_patient ?? e.new_patient
            e.language = p.language ?? e.language
        }
        return e
    }

    /// A reply template: the rule files' wording in the conversation's language, else the
    /// embedded default in that language, else the rule files' English.
    static func text(_ ctx: IngestContext, _ key: String, _ values: [String: String]) -> String {
        let template = ctx.ruleSet.template(key: key, language: ctx.language)
            ?? BookingTemplates.wording(key, language: ctx.language) ?? ctx.ruleSet.template(key: key, language: "en") ?? ""
        return ReplyBook.render(template, values)
    }

    static func offer(_ s: Slot) -> SlotOffer {
        SlotOffer(id: s.id, service: s.service, start: RFC3339.format(s.start), end: RFC3339.format(s.end),
                  provider: s.provider, location: s.location)
    }

    /// The booking the answer shows: made or moved this turn, or cancelled this turn.
    static func summary(action: Action, dialogue: BookingDialogue, effects: BookingEffects) -> BookingSummary? {
        switch action {
        case .book, .reschedule:
            guard let b = dialogue.knownBooking else { return nil }
            return BookingSummary(id: b.id, slot_id: b.slot.id, status: "booked", start: RFC3339.format(b.slot.start),
                                  service: b.slot.service)
        case .cancel:
            guard let (b, slot) = effects.cancelled.last else { return nil }
            return BookingSummary(id: b.id, slot_id: b.slotID, status: "cancelled", start: slot?.start ?? "",
                                  service: slot?.service ?? "")
        default: return nil
        }
    }
}
