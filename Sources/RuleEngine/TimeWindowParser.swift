import Foundation
import IntakeCore

/// Resolves time wishes ("tomorrow", "next tuesday", "mornings", "after 3", "la semana que viene")
/// against the message's send time in the clinic's time zone.
struct TimeWindowParser {
    let tokens: [String]
    let sentAt: Date
    let timeZone: TimeZone

    private static let weekdays: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "domingo": 1, "lunes": 2, "martes": 3, "miercoles": 4, "jueves": 5, "viernes": 6, "sabado": 7,
    ]
    private static let parts: [String: String] = [
        "morning": "morning", "mornings": "morning", "am": "morning",
        "afternoon": "afternoon", "afternoons": "afternoon", "tarde": "afternoon", "tardes": "afternoon",
        "evening": "evening", "evenings": "evening", "night": "evening", "noche": "evening",
    ]

    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    func parse() -> TimeWindow? {
        var w = TimeWindow()
        var words: [String] = []
        let cal = calendar
        let today = cal.startOfDay(for: sentAt)
        var day: Date?
        var span = 1
        var weekdays: [Int] = []
        for (i, t) in tokens.enumerated() {
            let next = i + 1 < tokens.count ? tokens[i + 1] : ""
            let prev = i > 0 ? tokens[i - 1] : ""
            switch t {
            case "today", "hoy": day = today; words.append(t)
            case "tomorrow": day = cal.date(byAdding: .day, value: 1, to: today); words.append(t)
            case "manana" where prev != "la" && prev != "por":
                day = cal.date(byAdding: .day, value: 1, to: today); words.append(t)
            case "manana": w.part_of_day = add(w.part_of_day, "morning"); words.append("manana")
            case "week", "semana":
                if ["next", "proxima"].contains(prev) || next == "que" {
                    day = startOfWeek(cal.date(byAdding: .day, value: 7, to: today)!); span = 7; words.append("next week")
                } else if ["this", "esta"].contains(prev) {
                    // Weeks run Monday to Sunday; "this week" is the rest of it, today included.
                    let wd = cal.component(.weekday, from: today)
                    day = today; span = wd == 1 ? 1 : 9 - wd; words.append("this week")
                }
            case "month" where prev == "next":
                let start = cal.date(from: cal.dateComponents([.year, .month], from: cal.date(byAdding: .month, value: 1, to: today)!))!
                day = start; span = cal.range(of: .day, in: .month, for: start)!.count; words.append("next month")
            default:
                if let wd = Self.weekdays[t] ?? Self.weekdays[String(t.dropLast())] {
                    if !weekdays.contains(wd) { weekdays.append(wd) }
                    words.append(t)
                } else if let part = Self.parts[t] {
                    w.part_of_day = add(w.part_of_day, part); words.append(t)
                } else if ["after", "despues"].contains(t), let hour = hourAfter(i) {
                    w.after_hour = hour; words.append("after \(hour)")
                } else if ["before", "antes"].contains(t), let hour = hourAfter(i) {
                    w.before_hour = hour; words.append("before \(hour)")
                }
            }
        }
        if weekdays.count == 1, span == 1 || day == nil {
            let target = nextDate(weekday: weekdays[0], after: today, skipToday: true, cal)
            day = target; span = 1
        } else if !weekdays.isEmpty {
            w.weekdays = weekdays.sorted()
        }
        if let day {
            w.from = RFC3339.format(day, in: timeZone)
            w.to = RFC3339.format(cal.date(byAdding: .day, value: span, to: day)!, in: timeZone)
        }
        guard !words.isEmpty else { return nil }
        w.text = words.joined(separator: " ")
        return w
    }

    /// The hour named right after position i, skipping "de", "las", "the".
    private func hourAfter(_ i: Int) -> Int? {
        var j = i + 1
        while j < tokens.count, ["de", "las", "la", "the", "of"].contains(tokens[j]) { j += 1 }
        return j < tokens.count ? Self.hour(tokens[j]) : nil
    }

    private func add(_ list: [String]?, _ part: String) -> [String] {
        var l = list ?? []
        if !l.contains(part) { l.append(part) }
        return l
    }

    private func startOfWeek(_ date: Date) -> Date {
        let cal = calendar
        let wd = cal.component(.weekday, from: date)
        return cal.date(byAdding: .day, value: -(wd - 2 + 7) % 7, to: cal.startOfDay(for: date))!
    }

    private func nextDate(weekday: Int, after today: Date, skipToday: Bool, _ cal: Calendar) -> Date {
        let current = cal.component(.weekday, from: today)
        var delta = (weekday - current + 7) % 7
        if delta == 0 && skipToday { delta = 7 }
        return cal.date(byAdding: .day, value: delta, to: today)!
    }

    /// "3" -> 15 (clinic hours: 1-6 mean afternoon), "3pm" -> 15, "10am" -> 10, "noon" -> 12, "las" skipped by caller.
    static func hour(_ token: String) -> Int? {
        if token == "noon" || token == "mediodia" { return 12 }
        var digits = token
        var suffix = ""
        if token.hasSuffix("pm") || token.hasSuffix("am") { digits = String(token.dropLast(2)); suffix = String(token.suffix(2)) }
        if digits.count > 2 { digits = String(digits.prefix(digits.count - 2)) }  // 230 -> 2
        guard let h = Int(digits), (1...12).contains(h) else { return nil }
        if suffix == "pm" && h < 12 { return h + 12 }
        if suffix == "am" { return h % 12 }
        return h <= 6 ? h + 12 : h
    }
}
