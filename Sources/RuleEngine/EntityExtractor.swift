import Foundation
import IntakeCore

/// Extracts booking entities from the phrase matches (`entity` statements) and the time words.
struct EntityExtractor {
    let rules: CompiledRules
    let matcher: Matcher

    /// An entity value found at a span of the message.
    private struct Found {
        var value: String
        var start: Int
        var end: Int
        var length: Int { end - start }
    }

    func extract(sentAt: Date, timeZone: TimeZone) -> Entities {
        // The best value of each kind, by `EntityKind` position.
        var best = [Found?](repeating: nil, count: EntityKind.allCases.count)
        var visitForSpans: [Found] = []
        var spanish = 0
        for m in matcher.matches {
            for hit in rules.entityPhrases[m.phrase] {
                if hit.kind == .language, hit.value == "es" { spanish += 1; continue }
                let found = Found(value: hit.value, start: m.start, end: m.end)
                if hit.kind == .visit_for { visitForSpans.append(found) }
                let slot = hit.kind.position
                // The longest phrase wins ("physical therapy for my knee" over "knee"), then the earliest.
                if let current = best[slot], current.length > found.length || (current.length == found.length && current.start <= m.start) { continue }
                best[slot] = found
            }
        }
        var e = Entities()
        e.service = best[EntityKind.service.position]?.value
        e.location = best[EntityKind.location.position]?.value
        e.provider = provider()
        if let np = best[EntityKind.new_patient.position]?.value { e.new_patient = np == "true" }
        // A phrase inside a longer one ("my kid" in "my kids") is not a second person.
        var visitFor: [String] = []
        for v in visitForSpans where v.value != "self" && !visitFor.contains(v.value) && !visitForSpans.contains(where: {
            $0.start <= v.start && $0.end >= v.end && $0.length > v.length
        }) { visitFor.append(v.value) }
        e.visit_for = visitFor.count > 1 ? "multiple" : (visitFor.first ?? best[EntityKind.visit_for.position]?.value)
        e.language = spanish >= 1 ? "es" : "en"
        e.time_window = TimeWindowParser(tokens: matcher.tokens.words, sentAt: sentAt, timeZone: timeZone).parse()
        return e
    }

    /// "dr chen", "doctor patel": the word after a provider title phrase.
    private func provider() -> String? {
        let tokens = matcher.tokens.words
        for m in matcher.matches where m.end < tokens.count {
            guard rules.entityPhrases[m.phrase].contains(where: { $0.kind == .provider }) else { continue }
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
