import Foundation
import IntakeCore

/// Status of an escalation, as stored (`open`, `claimed`, `resolved`).
public enum EscalationStatus: String, Codable, Sendable, CaseIterable {
    case open, claimed, resolved
}

/// One recorded state change: who moved the escalation from which status to which, and when.
/// A priority raise is recorded with `from == to` and a note naming both priorities.
public struct Transition: Codable, Sendable, Equatable {
    public var from: EscalationStatus
    public var to: EscalationStatus
    /// Staff assignee, `"patient"` for a reopen, `"system"` for automatic changes.
    public var actor: String
    public var at: Date
    public var note: String?

    public init(from: EscalationStatus, to: EscalationStatus, actor: String, at: Date, note: String? = nil) {
        self.from = from; self.to = to; self.actor = actor; self.at = at; self.note = note
    }
}

/// The escalation life cycle as a value type: open → claimed → resolved, release (claimed → open),
/// reopen (resolved → open) when the patient writes again, and priority raises. Every event
/// returns the `Transition` to record; no I/O happens here.
public struct EscalationState: Sendable, Equatable {
    /// Actor name for changes the system makes on its own.
    public static let systemActor = "system"
    /// Actor name for a reopen caused by a new patient message.
    public static let patientActor = "patient"

    public private(set) var status: EscalationStatus
    public private(set) var priority: Priority
    public private(set) var claimedBy: String?
    public private(set) var claimedAt: Date?
    public private(set) var resolvedAt: Date?
    /// Outcome given when resolving, e.g. "booked_by_phone".
    public private(set) var resolution: String?

    /// A state with the given fields, e.g. one read back from storage.
    public init(status: EscalationStatus = .open, priority: Priority, claimedBy: String? = nil,
                claimedAt: Date? = nil, resolvedAt: Date? = nil, resolution: String? = nil) {
        self.status = status; self.priority = priority; self.claimedBy = claimedBy
        self.claimedAt = claimedAt; self.resolvedAt = resolvedAt; self.resolution = resolution
    }

    /// Claims an open escalation for `assignee`. Already claimed: `.conflict`; resolved: invalid.
    public mutating func claim(by assignee: String, at: Date, note: String? = nil) throws(HandoffError) -> Transition {
        switch status {
        case .open: break
        case .claimed: throw HandoffError(.conflict, "escalation is already claimed")
        case .resolved: throw HandoffError(.invalidTransition, "cannot claim a resolved escalation")
        }
        status = .claimed; claimedBy = assignee; claimedAt = at
        return Transition(from: .open, to: .claimed, actor: assignee, at: at, note: note)
    }

    /// Gives a claimed escalation back to the queue.
    public mutating func release(by actor: String, at: Date, note: String? = nil) throws(HandoffError) -> Transition {
        guard status == .claimed else {
            throw HandoffError(.invalidTransition, "only a claimed escalation can be released")
        }
        status = .open; claimedBy = nil; claimedAt = nil
        return Transition(from: .claimed, to: .open, actor: actor, at: at, note: note)
    }

    /// Resolves the escalation with an outcome. Allowed from `claimed`, and from `open` so that
    /// staff can close an item without claiming it first (the actor is still recorded).
    public mutating func resolve(by actor: String, at: Date, outcome: String, note: String? = nil) throws(HandoffError) -> Transition {
        guard status != .resolved else {
            throw HandoffError(.invalidTransition, "escalation is already resolved")
        }
        let from = status
        status = .resolved; resolvedAt = at; resolution = outcome
        return Transition(from: from, to: .resolved, actor: actor, at: at, note: note)
    }

    /// Reopens a resolved escalation because the patient wrote again; it goes back to the queue
    /// unassigned.
    public mutating func reopen(at: Date, actor: String = EscalationState.patientActor, note: String? = nil) throws(HandoffError) -> Transition {
        guard status == .resolved else {
            throw HandoffError(.invalidTransition, "only a resolved escalation can be reopened")
        }
        status = .open; claimedBy = nil; claimedAt = nil; resolvedAt = nil; resolution = nil
        return Transition(from: .resolved, to: .open, actor: actor, at: at, note: note ?? "patient wrote after resolution")
    }

    /// Raises the priority to `target` when that is more urgent; never lowers it. Returns nil
    /// (nothing to record) when `target` is not more urgent than the current priority.
    public mutating func raise(to target: Priority, by actor: String = EscalationState.systemActor, at: Date, note: String? = nil) -> Transition? {
        guard target < priority else { return nil }
        let text = "priority \(priority.rawValue) -> \(target.rawValue)" + (note.map { ": \($0)" } ?? "")
        priority = target
        return Transition(from: status, to: status, actor: actor, at: at, note: text)
    }
}
