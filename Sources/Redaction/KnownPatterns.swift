import Foundation

/// Builds passes for the identifiers known from the request, tolerant of case, accents and
/// separators, so "maria lopez", "MARÍA LÓPEZ" and "(555) 123-4567" all match.
enum KnownPatterns {
    static func passes(for known: KnownIdentifiers) -> [RedactionPass] {
        var passes: [RedactionPass] = []
        if let email = known.email?.trimmingCharacters(in: .whitespaces), email.count >= 3 {
            passes.append(RedactionPass(.email, NSRegularExpression.escapedPattern(for: email)))
        }
        if let mrn = literal(known.mrn) { passes.append(RedactionPass(.mrn, mrn)) }
        for other in known.other { if let p = literal(other) { passes.append(RedactionPass(.id, p)) } }
        if let dob = known.dateOfBirth, let pattern = dobPattern(dob) {
            passes.append(RedactionPass(.dob, pattern))
        }
        if let phone = known.phone, let pattern = phonePattern(phone) {
            passes.append(RedactionPass(.phone, pattern))
        }
        if let name = known.name { passes.append(contentsOf: namePasses(name)) }
        return passes
    }

    /// A literal identifier as a whole token, case-insensitive; nil when too short to be safe.
    static func literal(_ value: String?) -> String? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), v.count >= 3 else { return nil }
        return #"(?<![\p{L}\d])"# + NSRegularExpression.escapedPattern(for: v) + #"(?![\p{L}\d])"#
    }

    /// The phone's digits (last ten when longer) with any separators between them.
    static func phonePattern(_ phone: String) -> String? {
        let digits = phone.filter(\.isASCIIDigit)
        guard digits.count >= 7 else { return nil }
        let core = digits.suffix(10)
        let body = core.map(String.init).joined(separator: #"[\s.\-()]*"#)
        return #"(?<!\d)(?:\+?\d{1,3}[\s.\-]*)?\(?"# + body + #"(?!\d)"#
    }

    /// The full name and each part of two or more letters, accent-insensitive. A part matches
    /// in any case ("maria", "lopez": texts are often all lowercase), unless it is short or an
    /// everyday word ("will", "hope", "rosa", "dolores"): then only capitalized or all caps
    /// ("Will", "WILL"), so "he will come" keeps its verb.
    static func namePasses(_ name: String) -> [RedactionPass] {
        let parts = name.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var passes = [RedactionPass(.name, bounded(parts.map(accentTolerant).joined(separator: #"[\s,]+"#)))]
        for part in parts where part.count >= 2 {
            let folded = part.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            if part.count >= 3 && !CommonWords.contains(folded) {
                passes.append(RedactionPass(.name, bounded(accentTolerant(part))))
                continue
            }
            let cap = part.prefix(1).uppercased() + part.dropFirst().lowercased()
            let alternatives = Set([cap, part.uppercased()]).map(accentTolerant).joined(separator: "|")
            passes.append(RedactionPass(.name, bounded("(?:" + alternatives + ")"), caseInsensitive: false))
        }
        return passes
    }

    static func bounded(_ p: String) -> String { #"(?<![\p{L}\d])"# + p + #"(?![\p{L}\d])"# }

    static let accentClasses: [Character: String] = [
        "a": "aáàäâ", "e": "eéèëê", "i": "iíìïî", "o": "oóòöô", "u": "uúùüû", "n": "nñ",
        "A": "AÁÀÄÂ", "E": "EÉÈËÊ", "I": "IÍÌÏÎ", "O": "OÓÒÖÔ", "U": "UÚÙÜÛ", "N": "NÑ",
    ]

    /// Each letter as a class of its accented forms, so "Maria" matches "María".
    static func accentTolerant(_ s: String) -> String {
        let folded = s.folding(options: .diacriticInsensitive, locale: nil)
        return folded.map { c in
            if let cls = accentClasses[c] { return "[\(cls)]" }
            return NSRegularExpression.escapedPattern(for: String(c))
        }.joined()
    }

    /// The date of birth as given plus its common written forms when it parses as Y-M-D.
    static func dobPattern(_ dob: String) -> String? {
        let v = dob.trimmingCharacters(in: .whitespaces)
        guard v.count >= 6 else { return nil }
        var forms = [NSRegularExpression.escapedPattern(for: v)]
        let parts = v.split(separator: "-").compactMap { Int($0) }
        if parts.count == 3, parts[0] > 1900, (1...12).contains(parts[1]), (1...31).contains(parts[2]) {
            let (y, m, d) = (parts[0], parts[1], parts[2])
            let sep = #"[/.\-]"#
            let mm = "0?\(m)", dd = "0?\(d)", yy = "(?:\(y)|\(String(y).suffix(2)))"
            forms.append("\(mm)\(sep)\(dd)\(sep)\(yy)")
            forms.append("\(dd)\(sep)\(mm)\(sep)\(yy)")
            let en = englishMonths[m - 1], es = spanishMonths[m - 1]
            forms.append(#"(?:\#(en)|\#(en.prefix(3)))\.?\s+\#(dd)(?:st|nd|rd|th)?,?\s+\#(y)"#)
            forms.append(#"\#(dd)(?:st|nd|rd|th)?\s+(?:of\s+)?(?:\#(en)|\#(en.prefix(3)))\.?,?\s+\#(y)"#)
            forms.append(#"\#(dd)\s+de\s+\#(es)\s+(?:de|del)\s+\#(y)"#)
        }
        return #"(?<![\d/.\-])(?:"# + forms.joined(separator: "|") + #")(?!\d)"#
    }

    static let englishMonths = ["january", "february", "march", "april", "may", "june", "july",
                                "august", "september", "october", "november", "december"]
    static let spanishMonths = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                                "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
