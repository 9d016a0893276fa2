import Foundation

/// What a patient's reply to an offer means.
public enum Pick: Sendable, Equatable, Codable {
    /// The offered slot at this 0-based index.
    case slot(Int)
    /// None of the offered slots work ("none of those", "ninguna").
    case none
    /// Something later than the offered slots.
    case later
    /// Something earlier than the offered slots.
    case earlier
    /// Not understood, or more than one slot fits.
    case unclear
}

/// Understands a reply to an offer of slots, in English and Spanish: ordinals ("the second
/// one", "la segunda", "2"), times and days ("Tuesday at 9", "the 10:30", "el martes"),
/// provider names, refusals ("none of those") and "something later/earlier".
public enum PickParser {
    /// Parses `text` against the `offered` slots (times read in `timeZone`).
    public static func parse(_ text: String, offered: [Slot], timeZone: TimeZone) -> Pick {
        let words = Words(text)
        if words.isEmpty || offered.isEmpty { return .unclear }
        if words.hasAny(laterPhrases) { return .later }
        if words.hasAny(earlierPhrases) { return .earlier }
        if words.hasAny(nonePhrases) || ["no", "no thanks", "no gracias", "nope"].contains(words.tokens.joined(separator: " ")) {
            return .none
        }
        if let n = ordinal(words, count: offered.count) { return n < offered.count ? .slot(n) : .unclear }
        if let pick = byTimeAndDay(words, offered: offered, timeZone: timeZone) { return pick }
        if let pick = byProvider(words, offered: offered) { return pick }
        if offered.count == 1, Confirmation.parse(text) == .yes { return .slot(0) }
        return .unclear
    }

    /// True when the text asks for something later ("something later", "más tarde").
    public static func asksForLater(_ text: String) -> Bool { Words(text).hasAny(laterPhrases) }

    static let laterPhrases = ["later", "mas tarde", "after that", "anything after", "something after",
                               "despues", "otro dia mas adelante", "mas adelante", "further out"]
    static let earlierPhrases = ["earlier", "sooner", "mas temprano", "antes", "more soon"]
    static let nonePhrases = ["none", "neither", "ninguna", "ninguno", "no one works", "no good",
                              "dont work", "don't work", "doesnt work", "don't suit", "cant make",
                              "can't make", "no me sirve", "no me sirven", "no puedo", "not those",
                              "other times", "otras horas", "otro horario", "no funcionan"]

    static let ordinals: [(words: [String], index: Int)] = [
        (["first", "1st", "primera", "primero", "primer", "one", "uno", "una"], 0),
        (["second", "2nd", "segunda", "segundo", "two", "dos"], 1),
        (["third", "3rd", "tercera", "tercero", "tercer", "three", "tres"], 2),
        (["fourth", "4th", "cuarta", "cuarto", "four", "cuatro"], 3),
        (["fifth", "5th", "quinta", "quinto", "five", "cinco"], 4),
    ]

    /// "the second one", "option 2", "#2", "2", "la última".
    static func ordinal(_ w: Words, count: Int) -> Int? {
        if w.hasAny(["last", "ultima", "ultimo", "last one"]) { return count - 1 }
        // "one"/"una" alone are articles as often as numbers: only count them next to option words.
        let optionWord = w.hasAny(["option", "number", "opcion", "numero", "choice", "#"])
        for (names, index) in ordinals {
            for name in names where w.tokens.contains(name) {
                if ["one", "uno", "una"].contains(name) && !optionWord && w.tokens.count > 1 { continue }
                return index
            }
        }
        // A bare small number that is not a time: "2", "option 2", "#2".
        let numbers = w.tokens.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) }
        if numbers.count == 1, let n = numbers.first, (1...max(count, 1)).contains(n),
           !w.hasAny(["at", "a las", "a la", "am", "pm", "oclock", "o clock"]) || optionWord {
            return n - 1
        }
        return nil
    }

    /// "Tuesday at 9", "the 10:30", "el martes", "9am": the offered slots that fit the named day
    /// and time; a pick only when exactly one fits.
    static func byTimeAndDay(_ w: Words, offered: [Slot], timeZone: TimeZone) -> Pick? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let weekday = weekdayNames.first { w.tokens.contains($0.key) }?.value
        let time = clockTime(w)
        let part = partOfDay(w)
        guard weekday != nil || time != nil || part != nil else { return nil }
        let fits = offered.indices.filter { i in
            let c = calendar.dateComponents([.weekday, .hour, .minute], from: offered[i].start)
            if let weekday, c.weekday != weekday { return false }
            if let part, SlotMatcher.partOfDay(c.hour!) != part { return false }
            if let t = time {
                if let m = t.minute, m != c.minute { return false }
                if t.pm == nil ? (t.hour % 12 != c.hour! % 12) : (t.hour != c.hour!) { return false }
            }
            return true
        }
        return fits.count == 1 ? .slot(fits[0]) : .unclear
    }

    /// A spoken or written time: "9", "9:30", "10.30", "9am", "9 pm", "noon", "mediodia".
    static func clockTime(_ w: Words) -> (hour: Int, minute: Int?, pm: Bool?)? {
        if w.hasAny(["noon", "mediodia"]) { return (12, 0, true) }
        for (i, token) in w.tokens.enumerated() {
            var t = token
            var pm: Bool?
            if t.hasSuffix("am") || t.hasSuffix("pm") {
                pm = t.hasSuffix("pm"); t.removeLast(2)
            } else if i + 1 < w.tokens.count, ["am", "pm"].contains(w.tokens[i + 1]) {
                pm = w.tokens[i + 1] == "pm"
            }
            let pieces = t.split(whereSeparator: { $0 == ":" || $0 == "." }).map(String.init)
            guard (1...2).contains(pieces.count), let h = Int(pieces[0]), (0...23).contains(h) else { continue }
            var minute: Int?
            if pieces.count == 2 { guard let m = Int(pieces[1]), (0...59).contains(m) else { continue }; minute = m }
            // A lone number is a time only with a cue ("at 9", "a las 9", "9am"); else it is an ordinal.
            let cue = i > 0 && ["at", "las", "la", "around", "@"].contains(w.tokens[i - 1])
            guard minute != nil || pm != nil || cue else { continue }
            if let isPM = pm { return (isPM ? (h % 12) + 12 : h % 12, minute, true) }
            return (h, minute, h > 12 ? true : nil)
        }
        return nil
    }

    static func partOfDay(_ w: Words) -> String? {
        if w.hasAny(["morning", "manana"]) { return "morning" }
        if w.hasAny(["afternoon", "tarde"]) { return "afternoon" }
        if w.hasAny(["evening", "noche"]) { return "evening" }
        return nil
    }

    /// "the one with Dr. Patel": a provider's last name that fits exactly one slot.
    static func byProvider(_ w: Words, offered: [Slot]) -> Pick? {
        let fits = offered.indices.filter { i in
            guard let name = offered[i].provider else { return false }
            let last = Words(name).tokens.last { $0 != "md" && $0 != "do" && $0.count > 2 }
            return last.map { w.tokens.contains($0) } ?? false
        }
        return fits.count == 1 ? .slot(fits[0]) : nil
    }

    static let weekdayNames: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "wednesday": 4, "thursday": 5, "friday": 6, "saturday": 7,
        "sun": 1, "mon": 2, "tue": 3, "tues": 3, "wed": 4, "thu": 5, "thur": 5, "thurs": 5, "fri": 6, "sat": 7,
        "domingo": 1, "lunes": 2, "martes": 3, "miercoles": 4, "jueves": 5, "viernes": 6, "sabado": 7,
    ]
}

/// Lowercased, accent-folded words of a message, for phrase matching.
struct Words {
    let tokens: [String]
    /// The tokens joined by single spaces, padded, so phrases match on word boundaries.
    let padded: String

    init(_ text: String) {
        let folded = text.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            .replacingOccurrences(of: "’", with: "'")
        var cleaned = ""
        for ch in folded.unicodeScalars {
            let keep = CharacterSet.alphanumerics.contains(ch) || ch == ":" || ch == "'" || ch == "#"
            cleaned.unicodeScalars.append(keep ? ch : " ")
        }
        // "10.30" survives as a time; other dots became spaces above, so rejoin digit.digit.
        cleaned = Words.rejoinDecimalTimes(folded: folded, cleaned: cleaned)
        tokens = cleaned.split(separator: " ").map(String.init)
        padded = " " + tokens.joined(separator: " ") + " "
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// True when any phrase occurs as whole words.
    func hasAny(_ phrases: [String]) -> Bool {
        phrases.contains { padded.contains(" " + $0 + " ") || (($0 == "#") && padded.contains("#")) }
    }

    static func rejoinDecimalTimes(folded: String, cleaned: String) -> String {
        var out = Array(cleaned)
        let src = Array(folded)
        guard src.count == out.count else { return cleaned }
        for i in 1..<max(src.count - 1, 1) where src[i] == "." && src[i - 1].isNumber && src[i + 1].isNumber {
            out[i] = ":"
        }
        return String(out)
    }
}
