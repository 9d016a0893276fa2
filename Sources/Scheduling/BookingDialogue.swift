import Foundation
import IntakeCore

/// The booking conversation of one patient, as a value-type state machine: no I/O inside.
/// Stored as JSON in the conversation's `state_json`.
///
/// The Service calls `handle(.message(...))` and then, while the step is an effect
/// (`search`, `hold`, `book`, `cancel`), runs it in its store transaction and feeds the result
/// back, until a `reply` or `escalate` step (or let `run(_:perform:)` do that loop). A turn
/// is bounded: after `maxInternalSteps` effect results without a reply the dialogue escalates,
/// whatever the store answers.
public struct BookingDialogue: Codable, Sendable, Equatable {
    /// Most effect results one message may cause before the dialogue gives up and escalates.
    public static let maxInternalSteps = 8

    /// Operator settings; overwrite after decoding to apply a reload.
    public var settings: DialogueSettings
    /// Where the dialogue stands.
    public internal(set) var state: DialogueState = .idle
    /// The booking this conversation knows: made here, or set by the Service from the
    /// patient's identifiers before a cancel/reschedule/inquiry message.
    public var knownBooking: BookingRef?
    /// Failed turns since the last progress.
    public internal(set) var failedTurns = 0

    /// What the patient asked for so far (service, time wishes, location, provider, language).
    var wishes = Entities()
    /// Slots declined, taken, or being replaced: never offered again in this request.
    var excluded: [String] = []
    /// The reference time of the message being handled.
    var now = Date(timeIntervalSince1970: 0)
    var awaiting: Awaiting?
    var internalSteps = 0
    /// Reply template for the next offer ("booking.offer", "booking.offer_taken", ...).
    var offerTemplate = "booking.offer"
    /// A slot picked after its hold expired: booked if a fresh search still finds it.
    var pendingPick: String?
    /// Booking being replaced by a reschedule.
    var rescheduleFrom: BookingRef?
    /// "Something later/earlier": bounds for the next search.
    var afterDate: Date?
    var beforeDate: Date?
    /// The time window was dropped after it found nothing.
    var relaxed = false
    var askedTime = false
    /// Slots were offered in this request, so "nothing found" is a failed turn, not a dead end.
    var hasOffered = false
    /// The latest start among the slots offered last, for "later" after "none of those".
    var lastOfferLatest: Date?

    /// A new, idle dialogue.
    public init(settings: DialogueSettings) { self.settings = settings }

    /// Advances the dialogue by one event and says what the Service does next.
    public mutating func handle(_ event: DialogueEvent) -> DialogueStep {
        if case .message(let intent, let entities, let text, let now) = event {
            self.now = now
            internalSteps = 0
            awaiting = nil
            return onMessage(intent, entities, text)
        }
        internalSteps += 1
        guard internalSteps <= Self.maxInternalSteps else { return escalate("booking.loop_limit") }
        let waited = awaiting
        awaiting = nil
        switch (event, waited) {
        case (.slotsFound(let slots), .search?): return onSlotsFound(slots)
        case (.held(let ids), .hold(let slots)?): return onHeld(ids, slots)
        case (.bookResult(let result), .book(let slot)?): return onBookResult(result, slot)
        case (.cancelResult(let result), .cancel(let id, let forReschedule)?):
            return onCancelResult(result, bookingID: id, forReschedule: forReschedule)
        default: return escalate("booking.unexpected_event")
        }
    }

    /// Runs one turn: handles `event`, performs effect steps through `perform` and feeds their
    /// results back, and returns the final `reply` or `escalate` step. Terminates after at most
    /// `maxInternalSteps` effects.
    public mutating func run(_ event: DialogueEvent,
                             perform: (DialogueStep) throws -> DialogueEvent) rethrows -> DialogueStep {
        var step = handle(event)
        while !step.endsTurn { step = handle(try perform(step)) }
        return step
    }

    // MARK: messages

    mutating func onMessage(_ intent: Intent, _ entities: Entities, _ text: String) -> DialogueStep {
        if case .escalated(let reason) = state { return .escalate(reason: reason) }
        if let language = entities.language { wishes.language = language }
        switch intent {
        case .cancel_appointment: return startCancel(entities)
        case .reschedule_appointment: return startReschedule(entities)
        case .appointment_inquiry where knownBooking != nil: return inquiry()
        default: break
        }
        switch state {
        case .offered(let slots, let holdUntil):
            if intent == .book_appointment, let s = entities.service, s != wishes.service {
                return startBooking(entities)
            }
            return onPick(PickParser.parse(text, offered: slots, timeZone: settings.timeZone),
                          slots: slots, holdUntil: holdUntil, entities: entities)
        case .confirmingCancel(let id): return onCancelConfirmation(Confirmation.parse(text), bookingID: id)
        case .confirmingReschedule(let id): return onRescheduleConfirmation(Confirmation.parse(text), entities, id)
        case .needService:
            if entities.service == nil { return failedTurn(ask: "booking.ask_service") }
            merge(entities)
            return proceed()
        case .needTime:
            merge(entities)
            if PickParser.asksForLater(text), let latest = lastOfferLatest {
                afterDate = latest; beforeDate = nil; offerTemplate = "booking.offer_later"
            }
            askedTime = true
            return proceed()
        case .idle, .booked, .escalated:
            if intent == .book_appointment { return startBooking(entities) }
            return .reply(action: .reply, template: "booking.nothing_to_do", values: values([]), slots: [])
        }
    }

    /// A new booking request: forget the previous request's wishes.
    mutating func startBooking(_ entities: Entities) -> DialogueStep {
        let language = wishes.language
        wishes = entities
        wishes.language = entities.language ?? language
        resetRequest()
        return proceed()
    }

    mutating func resetRequest() {
        excluded = []; afterDate = nil; beforeDate = nil; relaxed = false; askedTime = false
        hasOffered = false; failedTurns = 0; pendingPick = nil; offerTemplate = "booking.offer"
        rescheduleFrom = nil; lastOfferLatest = nil
    }

    /// Asks for what is missing, else searches.
    mutating func proceed() -> DialogueStep {
        guard wishes.service != nil else {
            state = .needService
            return .reply(action: .clarify, template: "booking.ask_service", values: values([]), slots: [])
        }
        if settings.askForTime && wishes.time_window == nil && !askedTime && afterDate == nil {
            state = .needTime
            askedTime = true
            return .reply(action: .clarify, template: "booking.ask_time", values: values([]), slots: [])
        }
        return search()
    }

    mutating func merge(_ e: Entities) {
        wishes.service = e.service ?? wishes.service
        wishes.time_window = e.time_window ?? wishes.time_window
        wishes.location = e.location ?? wishes.location
        wishes.provider = e.provider ?? wishes.provider
        wishes.new_patient = e.new_patient ?? wishes.new_patient
        wishes.language = e.language ?? wishes.language
    }

    // MARK: searching and offering

    mutating func search() -> DialogueStep {
        awaiting = .search
        return .search(query())
    }

    /// The store query for the current wishes: the time window's bounds unless relaxed,
    /// "later/earlier" bounds, and the search horizon.
    func query() -> SlotQuery {
        let window = wishes.time_window
        var from = max(now, afterDate ?? now)
        var to: Date? = beforeDate
        if !relaxed {
            if let f = window?.from.flatMap(Timestamps.parse) { from = max(from, f) }
            if let t = window?.to.flatMap(Timestamps.parse) { to = min(to ?? t, t) }
        }
        let horizon = now.addingTimeInterval(Double(settings.searchDays) * 86_400)
        return SlotQuery(service: wishes.service ?? "", from: from, to: min(to ?? horizon, horizon), excluding: excluded)
    }

    mutating func onSlotsFound(_ found: [Slot]) -> DialogueStep {
        if let pick = pendingPick {
            pendingPick = nil
            if let slot = found.first(where: { $0.id == pick }) { return book(slot) }
        }
        let excludedSet = Set(excluded)
        let candidates = found.filter { !excludedSet.contains($0.id) && $0.service == wishes.service }
        let offer = SlotMatcher.offer(candidates: candidates, entities: wishes, now: now,
                                      timeZone: settings.timeZone, limit: settings.offerLimit, after: afterDate)
        if !offer.slots.isEmpty {
            awaiting = .hold(offer.slots)
            return .hold(offer.slots.map(\.id), until: holdUntil())
        }
        let windowed = wishes.time_window?.from != nil || wishes.time_window?.to != nil
        if !relaxed && windowed {
            relaxed = true
            return search()
        }
        guard hasOffered else { return escalate("booking.no_slots") }
        state = .needTime
        return failedTurn(ask: "booking.no_more")
    }

    func holdUntil() -> Date { now.addingTimeInterval(Double(settings.holdMinutes) * 60) }

    mutating func onHeld(_ ids: [String], _ offered: [Slot]) -> DialogueStep {
        let held = offered.filter { ids.contains($0.id) }
        guard !held.isEmpty else {
            // Someone else got them between search and hold: look again without them.
            excluded += offered.map(\.id)
            return search()
        }
        state = .offered(slots: held, holdUntil: holdUntil())
        hasOffered = true
        lastOfferLatest = held.map(\.start).max()
        let template = offerTemplate
        offerTemplate = "booking.offer"
        return .reply(action: .offer_slots, template: template, values: values(held), slots: held)
    }

    // MARK: picking and booking

    mutating func onPick(_ pick: Pick, slots: [Slot], holdUntil: Date, entities: Entities) -> DialogueStep {
        switch pick {
        case .slot(let i):
            guard now <= holdUntil else {
                // The hold lapsed: book it only if a fresh search still finds it free.
                pendingPick = slots[i].id
                offerTemplate = "booking.offer_expired"
                return search()
            }
            return book(slots[i])
        case .none:
            excluded += slots.map(\.id)
            failedTurns = 0
            if let window = entities.time_window {
                wishes.time_window = window
                relaxed = false
                offerTemplate = "booking.offer_other"
                return search()
            }
            state = .needTime
            askedTime = true
            return .reply(action: .clarify, template: "booking.ask_other_time", values: values([]), slots: [])
        case .later, .earlier:
            excluded += slots.map(\.id)
            if pick == .later {
                afterDate = slots.map(\.start).max(); beforeDate = nil
            } else {
                beforeDate = slots.map(\.start).min(); afterDate = nil
            }
            offerTemplate = pick == .later ? "booking.offer_later" : "booking.offer_earlier"
            return search()
        case .unclear:
            if let window = entities.time_window {
                wishes.time_window = window
                relaxed = false
                return search()
            }
            return failedTurn(ask: "booking.offer_again", slots: slots)
        }
    }

    mutating func book(_ slot: Slot) -> DialogueStep {
        awaiting = .book(slot)
        return .book(slot.id)
    }

    mutating func onBookResult(_ result: BookResult, _ slot: Slot) -> DialogueStep {
        guard case .booked(let id) = result else {
            excluded.append(slot.id)
            offerTemplate = "booking.offer_taken"
            return search()
        }
        let previous = rescheduleFrom
        knownBooking = BookingRef(id: id, slot: slot)
        state = .booked(bookingID: id)
        resetRequest()
        rescheduleFrom = previous
        if let previous {
            // The new booking exists before the old one goes: the patient never ends with none.
            awaiting = .cancel(bookingID: previous.id, forReschedule: true)
            return .cancel(previous.id)
        }
        return .reply(action: .book, template: "booking.confirmed", values: values([slot], bookingID: id), slots: [slot])
    }

    /// Counts a turn that made no progress; escalates once there were too many.
    mutating func failedTurn(ask template: String, slots: [Slot] = []) -> DialogueStep {
        failedTurns += 1
        if failedTurns >= settings.maxFailedTurns { return escalate("booking.failed_turns") }
        return .reply(action: .clarify, template: template, values: values(slots), slots: slots)
    }

    mutating func escalate(_ reason: String) -> DialogueStep {
        state = .escalated(reason: reason)
        awaiting = nil
        return .escalate(reason: reason)
    }

}
