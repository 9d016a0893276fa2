import Foundation
import IntakeCore

/// Extracts booking entities from the phrase matches (`entity` statements) and the time words.
struct EntityExtractor {
    let rules: CompiledRules
    let matcher: Matcher

    func extract(sentAt: Date, timeZone: TimeZone) -> Entities {
        var best: [String: (value: String, length: Int, start: Int)] = [:]
        var visitForSpans: [(value: String, start: Int, end: Int)] = []
        var spanish = 0
        for m in matcher.matches {
            guard let hits = rules.entityPhrases[m.phrase] else { continue }
            for hit in hits {
                if hit.kind == "language", hit.value == "es" { spanish += 1; continue }
                if hit.kind == "visit_for" { visitForSpans.append((hit.value, m.start, m.end)) }
                let length = m.end - m.start
                // The longest phrase wins ("physical therapy for my knee" over "knee"), then the earliest.
                if let current = best[hit.kind], current.length > length || (current.length == length && current.start <= m.start) { continue }
                best[hit.kind] = (hit.value, length, m.start)
            }
        }
        var e = Entities()
        e.service = best["service"]?.value
        e.location = best["location"]?.value
        e.provider = provider()
        if let np = best["new_patient"]?.value { e.new_patient = np == "true" }
        // A phrase inside a longer one ("my kid" in "my kids") is not a second person.
        var visitFor = Set<String>()
        for v in visitForSpans where !visitForSpans.contains(where: {
            $0.start <= v.start && $0.end >= v.end && ($0.end - $0.start) > (v.end - v.start)
        }) { visitFor.insert(v.value) }
        visitFor.remove("self")
        e.visit_for = visitFor.count > 1 ? "multiple" : (visitFor.first ?? best["visit_for"]?.value)
        e.language = spanish >= 1 ? "es" : "en"
        e.time_window = TimeWindowParser(tokens: matcher.tokens, sentAt: sentAt, timeZone: timeZone).parse()
        return e
    }

    /// "dr chen", "doctor patel": the word after a provider title phrase.
    private func provider() -> String? {
        let tokens = matcher.tokens
        for m in matcher.matches where m.end < tokens.count {
            guard let hits = rules.entityPhrases[m.phrase], hits.contains(where: { $0.kind == "provider" }) else { continue }
            // "Dr. Patel": the abbreviation's period is not a clause boundary here.
            let at = tokens[m.end] == Normalizer.boundary ? m.end + 1 : m.end
            guard at < tokens.count else { continue }
            let name = tokens[at]
            guard name.count >= 2, name.allSatisfy(\.isLetter), !Self.notNames.contains(name) else { continue }
            return "Dr. " + name.prefix(1).uppercased() + name.dropFirst()
        }
        return nil
    }

    private static let notNames: Set<String> = ["the", "a", "my", "office", "said", "appointment", "visit", "and", "or", "to", "for", "de", "la", "el", "who", "that", "is", "was", "gave", "told", "about", "on", "at", "in"]
}
