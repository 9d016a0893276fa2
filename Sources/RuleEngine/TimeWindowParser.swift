import Foundation
import IntakeCore

/// Resolves time wishes ("tomorrow", "next tuesday", "mornings", "after 3", "la semana que viene")
/// against the message's send time in the clinic's time zone.
struct TimeWindowParser {
    let tokens: [String]
    let sentAt: Date
    let timeZone: TimeZone

    init(tokens: [String], sentAt: Date, timeZone: TimeZone) {
        self.tokens = tokens; self.sentAt = sentAt; self.timeZone = timeZone
    }

    private static let weekdays: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "domingo": 1, "lunes": 2, "martes": 3, "miercoles": 4, "jueves": 5, "viernes": 6, "sabado": 7,
    ]
    private static let parts: [String: String] = [
        "morning": "morning", "mornings": "morning", "am": "morning",
        "afternoon": "afternoon", "afternoons": "afternoon", "tarde": "afternoon", "tardes": "afternoon",
        "evening": "evening", "evenings": "evening", "night": "evening", "noche": "evening",
    ]

    // Dates are handled as days since 1970-01-01 in the clinic's zone with integer civil-calendar
    // arithmetic (H. Hinnant's algorithms); Foundation's calendar is only asked for UTC offsets.
    // This keeps a message with time words within a few microseconds.

    /// The local day number of `sentAt`, given the zone's UTC offset then.
    private func localDay(offset: Int) -> Int {
        let local = Int(sentAt.timeIntervalSince1970.rounded(.down)) + offset
        return Int((Double(local) / 86_400).rounded(.down))
    }

    /// 1 = Sunday ... 7 = Saturday (1970-01-01 was a Thursday).
    private static func weekday(_ day: Int) -> Int { ((day % 7 + 7) % 7 + 4) % 7 + 1 }

    private static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func dayNumber(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let y2 = m <= 2 ? y - 1 : y
        let era = (y2 >= 0 ? y2 : y2 - 399) / 400
        let yoe = y2 - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Local midnight of a day as RFC 3339 with the zone's offset at that moment (DST-aware);
    /// `sentOffset` is the zone's UTC offset at `sentAt`.
    private func format(_ day: Int, sentOffset: Int) -> String {
        let guess = Date(timeIntervalSince1970: Double(day * 86_400 - sentOffset))
        var offset = timeZone.secondsFromGMT(for: guess)
        let again = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(day * 86_400 - offset)))
        if again != offset { offset = again }
        let c = Self.civil(day)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zone = offset == 0 ? "Z" : "\(offset < 0 ? "-" : "+")\(two(abs(offset) / 3600)):\(two(abs(offset) % 3600 / 60))"
        return "\(c.year)-\(two(c.month))-\(two(c.day))T00:00:00\(zone)"
    }

    /// Words that can start a time wish; messages without any skip the calendar work.
    private static let triggers: WordTable = {
        var table = WordTable()
        for word in Set(weekdays.keys).union(parts.keys).union(
            ["today", "hoy", "tomorrow", "manana", "week", "semana", "month", "after", "despues", "before", "antes"]).sorted() {
            table.insert(word)
        }
        return table
    }()

    /// Whether the token, or the token without a final "s", is a trigger.
    private static func isTrigger(_ token: String) -> Bool {
        var token = token
        return token.withUTF8 { word in
            triggers.number(of: word) != nil
                || (word.last == UInt8(ascii: "s") && triggers.number(of: UnsafeBufferPointer(rebasing: word.dropLast())) != nil)
        }
    }

    func parse() -> TimeWindow? {
        guard tokens.contains(where: Self.isTrigger) else { return nil }
        var w = TimeWindow()
        var words: [String] = []
        // The zone is asked for its offset only once a word needs the date.
        lazy var sentOffset = timeZone.secondsFromGMT(for: sentAt)
        lazy var today = localDay(offset: sentOffset)
        var day: Int?
        var span = 1
        var weekdays: [Int] = []
        // Only trigger words (and their plurals) have a case below.
        for (i, t) in tokens.enumerated() where Self.isTrigger(t) {
            let next = i + 1 < tokens.count ? tokens[i + 1] : ""
            let prev = i > 0 ? tokens[i - 1] : ""
            switch t {
            case "today", "hoy": day = today; words.append(t)
            case "tomorrow": day = today + 1; words.append(t)
            case "manana" where prev != "la" && prev != "por":
                day = today + 1; words.append(t)
            case "manana": w.part_of_day = add(w.part_of_day, "morning"); words.append("manana")
            case "week", "semana":
                if ["next", "proxima"].contains(prev) || next == "que" {
                    day = startOfWeek(today + 7); span = 7; words.append("next week")
                } else if ["this", "esta"].contains(prev) {
                    // Weeks run Monday to Sunday; "this week" is the rest of it, today included.
                    let wd = Self.weekday(today)
                    day = today; span = wd == 1 ? 1 : 9 - wd; words.append("this week")
                }
            case "month" where prev == "next":
                let now = Self.civil(today)
                let (y, m) = now.month == 12 ? (now.year + 1, 1) : (now.year, now.month + 1)
                let start = Self.dayNumber(y, m, 1)
                day = start
                span = (m == 12 ? Self.dayNumber(y + 1, 1, 1) : Self.dayNumber(y, m + 1, 1)) - start
                words.append("next month")
            default:
                if let wd = Self.weekdays[t] ?? (t.utf8.last == UInt8(ascii: "s") ? Self.weekdays[String(t.dropLast())] : nil) {
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
            day = nextDate(weekday: weekdays[0], after: today); span = 1
        } else if !weekdays.isEmpty {
            w.weekdays = weekdays.sorted()
        }
        if let day {
            w.from = format(day, sentOffset: sentOffset)
            w.to = format(day + span, sentOffset: sentOffset)
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

    /// The Monday of the week holding `day`.
    private func startOfWeek(_ day: Int) -> Int { day - (Self.weekday(day) + 5) % 7 }

    /// The next such weekday after today (a week ahead when it is today).
    private func nextDate(weekday: Int, after today: Int) -> Int {
        let delta = (weekday - Self.weekday(today) + 7) % 7
        return today + (delta == 0 ? 7 : delta)
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
