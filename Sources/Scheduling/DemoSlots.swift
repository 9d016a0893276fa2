import Foundation

/// Demo inventory for `make run` and the README session: weekday slots for every service,
/// at two locations with a few providers, starting tomorrow in the clinic time zone.
/// Deterministic: the same day and zone give the same slots and ids.
public enum DemoSlots {
    /// The demo locations.
    public static let locations = ["Main Street Clinic", "Riverside Health Center"]

    /// Two providers per service, one at each location.
    static func providers(_ service: String, _ n: Int) -> [String] {
        let names = ["Patel", "Garcia", "Nguyen", "Okafor", "Kim", "Rossi", "Cohen", "Silva"]
        return [names[(n * 2) % names.count], names[(n * 2 + 1) % names.count]].map { "Dr. \($0)" }
    }

    /// Weekday slots for `days` days from tomorrow: 30-minute visits (60 for imaging and
    /// physical therapy, 15 for lab and vaccination) in morning and afternoon blocks, thinned
    /// deterministically so days differ. Ids: `demo-<service>-<yyyymmdd>-<hhmm>-<location#>`.
    public static func generate(now: Date, timeZone: TimeZone, days: Int = 14) -> [Slot] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        var slots: [Slot] = []
        for offset in 1...max(days, 1) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: today) else { continue }
            let weekday = calendar.component(.weekday, from: day)
            guard (2...6).contains(weekday) else { continue }
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            let stamp = String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
            for (n, service) in ServiceNames.all.enumerated() {
                let minutes = ["imaging", "physical_therapy"].contains(service) ? 60
                    : ["lab", "vaccination"].contains(service) ? 15 : 30
                let who = providers(service, n)
                for (l, location) in locations.enumerated() {
                    // Each location works mornings or afternoons on alternating days.
                    let morning = (offset + l + n) % 2 == 0
                    var minute = morning ? 8 * 60 : 13 * 60
                    let endMinute = morning ? 12 * 60 : 17 * 60
                    while minute + minutes <= endMinute {
                        // Keep about two of three slots, varied by day, service and time.
                        if (offset * 7 + n * 3 + minute / minutes + l) % 3 != 0,
                           let start = calendar.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: day) {
                            let id = String(format: "demo-%@-%@-%02d%02d-%d", service, stamp, minute / 60, minute % 60, l + 1)
                            slots.append(Slot(id: id, service: service, provider: who[l], location: location,
                                              start: start, end: start.addingTimeInterval(Double(minutes) * 60),
                                              languages: l == 1 ? ["en", "es"] : ["en"],
                                              newPatients: (minute / minutes) % 4 != 3))
                        }
                        minute += minutes
                    }
                }
            }
        }
        return slots
    }
}
