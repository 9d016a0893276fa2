import Foundation

/// Renders slot times and fills reply templates, in the clinic time zone, in English or
/// Spanish. `speakable` output is for voice: no URLs, no abbreviations, times said as words
/// a speech engine reads well ("9:30 in the morning").
public struct ReplyRenderer: Sendable {
    /// The clinic time zone; all times are shown in it.
    public var timeZone: TimeZone
    /// "en" or "es"; anything else renders English.
    public var language: String
    /// Voice output: no URLs, no abbreviations.
    public var speakable: Bool

    /// Creates a renderer.
    public init(timeZone: TimeZone, language: String = "en", speakable: Bool = false) {
        self.timeZone = timeZone
        self.language = language.lowercased().hasPrefix("es") ? "es" : "en"
        self.speakable = speakable
    }

    static let weekdaysEN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let weekdaysES = ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"]
    static let monthsEN = ["January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December"]
    static let monthsES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                           "septiembre", "octubre", "noviembre", "diciembre"]

    /// "Tuesday, March 3 at 9:30 AM" / "martes 3 de marzo a las 9:30";
    /// speakable: "Tuesday, March 3 at 9:30 in the morning" / "martes 3 de marzo a las 9:30 de la mañana".
    public func dateTime(_ date: Date) -> String {
        let p = parts(date)
        if language == "es" {
            let at = p.hour == 1 || p.hour == 13 ? "a la" : "a las"
            let base = "\(Self.weekdaysES[p.weekday - 1]) \(p.day) de \(Self.monthsES[p.month - 1]) \(at) \(time(date))"
            return base
        }
        return "\(Self.weekdaysEN[p.weekday - 1]), \(Self.monthsEN[p.month - 1]) \(p.day) at \(time(date))"
    }

    /// "9:30 AM", "2 PM" (speakable "9:30 in the morning", "2 in the afternoon");
    /// Spanish uses the 24-hour clock ("14:00"), speakable "2 de la tarde".
    public func time(_ date: Date) -> String {
        let p = parts(date)
        if language == "es" {
            if !speakable { return String(format: "%d:%02d", p.hour, p.minute) }
            let h12 = p.hour % 12 == 0 ? 12 : p.hour % 12
            let clock = p.minute == 0 ? "\(h12)" : String(format: "%d:%02d", h12, p.minute)
            let part = p.hour < 12 ? "de la mañana" : p.hour < 20 ? "de la tarde" : "de la noche"
            return "\(clock) \(part)"
        }
        let h12 = p.hour % 12 == 0 ? 12 : p.hour % 12
        let clock = p.minute == 0 && speakable ? "\(h12)" : String(format: "%d:%02d", h12, p.minute)
        if speakable {
            if p.hour == 12 && p.minute == 0 { return "noon" }
            let part = p.hour < 12 ? "in the morning" : p.hour < 17 ? "in the afternoon" : "in the evening"
            return "\(clock) \(part)"
        }
        return "\(clock) \(p.hour < 12 ? "AM" : "PM")"
    }

    /// A numbered list of slots: "1) Tuesday, March 3 at 9:30 AM with Dr. Patel at Main Street Clinic".
    /// Speakable: "Option 1, Tuesday, ... with Doctor Patel, at Main Street Clinic." one after another.
    public func options(_ slots: [Slot]) -> String {
        slots.enumerated().map { n, slot in
            let who = slot.provider.map { (language == "es" ? " con " : " with ") + spoken($0) } ?? ""
            let whereAt = slot.location.map { (language == "es" ? " en " : " at ") + spoken($0) } ?? ""
            if speakable {
                let option = language == "es" ? "Opción" : "Option"
                return "\(option) \(n + 1), \(dateTime(slot.start))\(who)\(whereAt)."
            }
            return "\(n + 1)) \(dateTime(slot.start))\(who)\(whereAt)"
        }.joined(separator: speakable ? " " : "\n")
    }

    /// Fills `{name}` placeholders from `values`; unknown placeholders are left as they are so a
    /// typo in a template shows instead of vanishing. Speakable output drops URLs and expands
    /// abbreviations.
    public func fill(_ template: String, values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), let value = values[String(after[..<close])] else {
                out += "{"
                rest = after
                continue
            }
            out += value
            rest = after[after.index(after: close)...]
        }
        out += rest
        return speakable ? spoken(out) : out
    }

    /// Text fit for speech: URLs removed, common abbreviations written out.
    public func spoken(_ text: String) -> String {
        guard speakable else { return text }
        let words = text.split(separator: " ", omittingEmptySubsequences: false).compactMap { word -> String? in
            let w = String(word)
            if w.contains("://") || w.hasPrefix("www.") { return nil }
            return Self.abbreviations[language]?[w] ?? w
        }
        return words.joined(separator: " ")
    }

    static let abbreviations: [String: [String: String]] = [
        "en": ["Dr.": "Doctor", "Dr": "Doctor", "St.": "Street", "Ave.": "Avenue", "Rd.": "Road",
               "Mon": "Monday", "Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday", "Fri": "Friday",
               "appt": "appointment", "appt.": "appointment", "&": "and", "Ste.": "Suite"],
        "es": ["Dr.": "Doctor", "Dra.": "Doctora", "Av.": "Avenida", "Avda.": "Avenida", "C/": "Calle",
               "&": "y"],
    ]

    struct Parts { let weekday, day, month, hour, minute: Int }

    func parts(_ date: Date) -> Parts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekday, .day, .month, .hour, .minute], from: date)
        return Parts(weekday: c.weekday!, day: c.day!, month: c.month!, hour: c.hour!, minute: c.minute!)
    }
}
