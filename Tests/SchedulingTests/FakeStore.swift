import Foundation
import IntakeCore
@testable import Scheduling

/// An in-memory stand-in for the Service's store transaction, executing dialogue effects the
/// way the contract says: search free unheld slots, hold, book once, cancel.
final class FakeStore {
    var free: [Slot]
    var bookings: [String: Slot] = [:]
    var held: Set<String> = []
    var effects: [DialogueStep] = []
    private var nextBooking = 1

    init(_ free: [Slot]) { self.free = free }

    func perform(_ step: DialogueStep) -> DialogueEvent {
        effects.append(step)
        switch step {
        case .search(let q):
            return .slotsFound(free.filter { s in
                s.service == q.service && s.start >= q.from && (q.to.map { s.start < $0 } ?? true)
                    && !q.excluding.contains(s.id)
            })
        case .hold(let ids, _):
            held = Set(ids.filter { id in free.contains { $0.id == id } })
            return .held(ids.filter(held.contains))
        case .book(let id):
            guard let i = free.firstIndex(where: { $0.id == id }) else { return .bookResult(.taken) }
            let slot = free.remove(at: i)
            let bookingID = "bk-\(nextBooking)"
            nextBooking += 1
            bookings[bookingID] = slot
            return .bookResult(.booked(bookingID))
        case .cancel(let id):
            guard let slot = bookings.removeValue(forKey: id) else { return .cancelResult(.missing) }
            free.append(slot)
            return .cancelResult(.cancelled)
        case .reply, .escalate:
            fatalError("not an effect: \(step)")
        }
    }

    /// Someone else books this slot.
    func takeAway(_ id: String) { free.removeAll { $0.id == id } }

    /// Dermatology, Tuesday March 3 to Friday March 6, 2026: 9:00, 9:30, 10:00, 11:00, 14:00, 15:00.
    static func week() -> FakeStore {
        var slots: [Slot] = []
        for day in 3...6 {
            for time in ["09:00", "09:30", "10:00", "11:00", "14:00", "15:00"] {
                let id = "d\(day)-\(time.replacingOccurrences(of: ":", with: ""))"
                slots.append(slot(id, "2026-03-0\(day)T\(time):00-05:00", provider: day % 2 == 0 ? "Dr. Garcia" : "Dr. Patel",
                                  location: "Main Street Clinic"))
            }
        }
        return FakeStore(slots)
    }
}

/// A conversation driven through `BookingDialogue.run` against a `FakeStore`.
struct Conversation {
    var dialogue: BookingDialogue
    let store: FakeStore
    var clock = at("2026-03-02T10:05:00-05:00")

    init(store: FakeStore, settings: DialogueSettings = DialogueSettings(timeZone: newYork)) {
        self.store = store
        dialogue = BookingDialogue(settings: settings)
    }

    /// The patient says `text`; one minute passes per turn unless `after` says otherwise.
    mutating func say(_ text: String, _ intent: Intent = .other, _ entities: Entities = Entities(),
                      after minutes: Double = 1) -> DialogueStep {
        clock = clock.addingTimeInterval(minutes * 60)
        let store = self.store
        return dialogue.run(.message(intent: intent, entities: entities, text: text, now: clock)) { store.perform($0) }
    }
}

extension DialogueStep {
    var action: Action? {
        if case .reply(let action, _, _, _) = self { return action }
        return nil
    }
    var template: String? {
        if case .reply(_, let template, _, _) = self { return template }
        return nil
    }
    var slots: [Slot] {
        if case .reply(_, _, _, let slots) = self { return slots }
        return []
    }
    var values: [String: String] {
        if case .reply(_, _, let values, _) = self { return values }
        return [:]
    }
    var escalationReason: String? {
        if case .escalate(let reason) = self { return reason }
        return nil
    }
}
