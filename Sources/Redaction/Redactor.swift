/// Replaces patient identifiers in free text with typed placeholders (`[NAME]`, `[PHONE]`,
/// `[EMAIL]`, `[DOB]`, `[ADDRESS]`, `[MRN]`, `[SSN]`, `[ID]`). Pure: no I/O, no state.
///
/// Used before any text leaves the process (model calls) and for log lines. Dates of birth are
/// replaced; appointment dates and times ("Tuesday at 9:30", "March 10") are kept, because
/// they are what the message is about.
public enum Redactor {
    /// Redacts `text`: first the identifiers known from the request, then the patterns.
    public static func redact(_ text: String, known: KnownIdentifiers = .none) -> Redacted {
        var counts: [RedactionKind: Int] = [:]
        var out = text
        for pass in KnownPatterns.passes(for: known) { out = pass.apply(to: out, counts: &counts) }
        for pass in RedactionPatterns.passes { out = pass.apply(to: out, counts: &counts) }
        return Redacted(text: out, counts: counts)
    }

    /// Redacts for a log line: as `redact`, then any remaining run of five or more digits
    /// becomes `[ID]`, and the result is cut to `maxLength` characters (with "…").
    public static func redactForLog(_ text: String, known: KnownIdentifiers = .none,
                                    maxLength: Int = 160) -> String {
        var counts: [RedactionKind: Int] = [:]
        var out = redact(text, known: known).text
        out = logDigits.apply(to: out, counts: &counts)
        out = out.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        if out.count > maxLength { out = String(out.prefix(max(0, maxLength - 1))) + "…" }
        return out
    }

    static let logDigits = RedactionPass(.id, #"(?<!\d)\d{5,}(?!\d)"#)
}
