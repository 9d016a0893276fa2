import Foundation
import IntakeCore

/// The slots offered to a patient, best first.
public struct SlotOffer: Sendable, Equatable {
    /// Up to `limit` slots, best first.
    public var slots: [Slot]
    /// True when every offered slot fits all the patient's wishes (time, location, provider,
    /// language); false when the matcher had to offer the closest alternatives.
    public var allFit: Bool
    /// Creates an offer.
    public init(slots: [Slot], allFit: Bool) { self.slots = slots; self.allFit = allFit }
}

/// Ranks free slots against a patient's wishes. Pure: the caller passes the candidates, the
/// reference time and the clinic time zone.
public enum SlotMatcher {
    /// Offers are spread: no two within this many seconds of each other when others exist.
    public static let minimumGap: TimeInterval = 60 * 60

    /// Picks up to `limit` slots from `candidates`, best first.
    ///
    /// Hard filters: the slot starts after `now` (and after `after` when given), matches
    /// `entities.service` when set, and is open to new patients when the patient is new.
    /// Soft fit, in order of weight: the time window's `from`/`to`, weekdays, part of day,
    /// after/before hour, location, provider, language; sooner wins ties.
    public static func offer(candidates: [Slot], entities: Entities, now: Date, timeZone: TimeZone,
                             limit: Int = 3, after: Date? = nil) -> SlotOffer {
        let floor = max(now, after ?? now)
        let eligible = candidates.filter { slot in
            slot.start > floor
                && (entities.service.map { $0 == slot.service } ?? true)
                && !(entities.new_patient == true && slot.newPatients == false)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let scored = eligible.map { slot in
            (slot: slot, penalty: penalty(slot, entities, calendar), days: slot.start.timeIntervalSince(now) / 86_400)
        }
        let ranked = scored.sorted { a, b in
            let sa = a.penalty + a.days * 0.5, sb = b.penalty + b.days * 0.5
            if sa != sb { return sa < sb }
            if a.slot.start != b.slot.start { return a.slot.start < b.slot.start }
            return a.slot.id < b.slot.id
        }
        let picked = spread(ranked.map(\.slot), limit: limit)
        let fits = Set(scored.filter { $0.penalty == 0 }.map(\.slot.id))
        return SlotOffer(slots: picked, allFit: !picked.isEmpty && picked.allSatisfy { fits.contains($0.id) })
    }

    /// Takes slots in rank order, skipping any within `minimumGap` of one already taken;
    /// fills up from the skipped ones (still in rank order) when too few remain.
    static func spread(_ ranked: [Slot], limit: Int) -> [Slot] {
        var chosen: [Slot] = []
        var skipped: [Slot] = []
        for slot in ranked where chosen.count < limit {
            if chosen.contains(where: { abs($0.start.timeIntervalSince(slot.start)) < minimumGap }) {
                skipped.append(slot)
            } else {
                chosen.append(slot)
            }
        }
        for slot in skipped where chosen.count < limit { chosen.append(slot) }
        // Keep best-first order for the spread picks, then the fill-ins.
        return chosen
    }

    /// How badly a slot misses the wishes; 0 is a perfect fit.
    static func penalty(_ slot: Slot, _ e: Entities, _ calendar: Calendar) -> Double {
        var p = 0.0
        if let w = e.time_window {
            if let from = w.from.flatMap(Timestamps.parse), slot.start < from { p += 100 }
            if let to = w.to.flatMap(Timestamps.parse), slot.start >= to { p += 100 }
            let hour = calendar.component(.hour, from: slot.start)
            let weekday = calendar.component(.weekday, from: slot.start)
            if let days = w.weekdays, !days.isEmpty, !days.contains(weekday) { p += 40 }
            if let parts = w.part_of_day, !parts.isEmpty, !parts.contains(partOfDay(hour)) { p += 30 }
            if let h = w.after_hour, hour < h { p += 30 }
            if let h = w.before_hour, hour >= h { p += 30 }
        }
        if let wanted = e.location, !matches(slot.location, wanted) { p += 20 }
        if let wanted = e.provider, !matches(slot.provider, wanted) { p += 20 }
        if let lang = e.language?.lowercased(), let spoken = slot.languages, !spoken.contains(lang) { p += 15 }
        return p
    }

    /// "morning" before 12, "afternoon" 12-17, "evening" from 17.
    public static func partOfDay(_ hour: Int) -> String {
        hour < 12 ? "morning" : hour < 17 ? "afternoon" : "evening"
    }

    /// Case-insensitive containment either way, so "Main" matches "Main Street Clinic" and
    /// "Dr. Patel" matches "Patel".
    static func matches(_ value: String?, _ wanted: String) -> Bool {
        guard let value = value?.lowercased() else { return false }
        let w = wanted.lowercased().replacingOccurrences(of: "dr. ", with: "").replacingOccurrences(of: "dr ", with: "")
        return value.contains(w) || w.contains(value)
    }
}
