import Foundation
import IntakeCore

/// Operator settings for booking dialogues (from rule-file thresholds and the clinic config).
/// Stored with the dialogue; the Service may overwrite them after decoding to apply a reload.
public struct DialogueSettings: Codable, Sendable, Equatable {
    /// Clinic time zone: how times are read and rendered.
    public var timeZone: TimeZone
    /// How long offered slots stay held for the patient.
    public var holdMinutes: Int
    /// Failed turns (not understood, nothing fits) before handing over to staff.
    public var maxFailedTurns: Int
    /// Most slots offered at once.
    public var offerLimit: Int
    /// How far ahead a search looks when the patient gave no end date.
    public var searchDays: Int
    /// Ask for a time wish when the patient gave none (else offer the soonest slots).
    public var askForTime: Bool
    /// Reply language when the message does not say: "en" or "es".
    public var language: String
    /// Render values for voice (no abbreviations, times in words).
    public var speakable: Bool

    /// Creates settings; the defaults suit a chat channel.
    public init(timeZone: TimeZone, holdMinutes: Int = 10, maxFailedTurns: Int = 3, offerLimit: Int = 3,
                searchDays: Int = 60, askForTime: Bool = true, language: String = "en", speakable: Bool = false) {
        self.timeZone = timeZone; self.holdMinutes = holdMinutes; self.maxFailedTurns = maxFailedTurns
        self.offerLimit = offerLimit; self.searchDays = searchDays; self.askForTime = askForTime
        self.language = language; self.speakable = speakable
    }
}

/// A booking the system knows: made in this conversation, or found by the Service through the
/// patient's identifiers (set `BookingDialogue.knownBooking` before handling the message).
public struct BookingRef: Codable, Sendable, Equatable {
    /// Booking id.
    public var id: String
    /// The booked slot.
    public var slot: Slot
    /// Creates a reference.
    public init(id: String, slot: Slot) { self.id = id; self.slot = slot }
}

/// The outcome of a `.book` step, as the Service's store transaction saw it.
public enum BookResult: Codable, Sendable, Equatable {
    /// Booked; the booking id.
    case booked(String)
    /// The slot was booked or held by someone else meanwhile.
    case taken
    /// The slot no longer exists.
    case missing
}

/// The outcome of a `.cancel` step.
public enum CancelResult: Codable, Sendable, Equatable {
    /// Cancelled (its slot is free again).
    case cancelled
    /// No such active booking (already cancelled, or unknown).
    case missing
}

/// What happens to a dialogue: a patient message, or the result of a step the Service ran.
public enum DialogueEvent: Sendable, Equatable {
    /// A patient message with the engine's intent and entities; `now` is its `sent_at`.
    case message(intent: Intent, entities: Entities, text: String, now: Date)
    /// Free, unheld slots answering a `.search` step.
    case slotsFound([Slot])
    /// The slot ids the Service could hold after a `.hold` step.
    case held([String])
    /// The answer to a `.book` step.
    case bookResult(BookResult)
    /// The answer to a `.cancel` step.
    case cancelResult(CancelResult)
}

/// What the Service does next. `search`, `hold`, `book` and `cancel` are effects whose result
/// goes back in as an event; `reply` and `escalate` end the turn.
public enum DialogueStep: Sendable, Equatable {
    /// Find free, unheld slots; answer with `.slotsFound`.
    case search(SlotQuery)
    /// Hold these slots for this conversation until the date, replacing its earlier holds;
    /// answer with `.held` (the ids actually held).
    case hold([String], until: Date)
    /// Book this slot for this conversation (releasing its holds); answer with `.bookResult`.
    case book(String)
    /// Cancel this booking; answer with `.cancelResult`.
    case cancel(String)
    /// Answer the patient with the template (rule-file reply id) filled from `values`.
    case reply(action: Action, template: String, values: [String: String], slots: [Slot])
    /// Hand the conversation to staff; `reason` is a stable code such as `booking.failed_turns`.
    case escalate(reason: String)

    /// True for `reply` and `escalate`: the turn is over.
    public var endsTurn: Bool {
        switch self {
        case .reply, .escalate: true
        default: false
        }
    }
}

/// Where a booking dialogue stands between messages.
public enum DialogueState: Codable, Sendable, Equatable {
    /// Nothing in progress.
    case idle
    /// Asked which service.
    case needService
    /// Asked when.
    case needTime
    /// Slots offered and held until the date.
    case offered(slots: [Slot], holdUntil: Date)
    /// A booking was made (or is known).
    case booked(bookingID: String)
    /// Asked whether to cancel this booking.
    case confirmingCancel(bookingID: String)
    /// Asked whether to move this booking.
    case confirmingReschedule(bookingID: String)
    /// Handed to staff; the dialogue no longer acts.
    case escalated(reason: String)
}

/// The effect a dialogue waits for, so a result can only answer the step that asked for it.
enum Awaiting: Codable, Sendable, Equatable {
    case search
    case hold([Slot])
    case book(Slot)
    case cancel(bookingID: String, forReschedule: Bool)
}
