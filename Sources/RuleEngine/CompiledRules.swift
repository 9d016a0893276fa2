import IntakeCore
import RuleLanguage

/// One term of a compiled sequence: the phrase ids it accepts and the gap allowed before it.
struct CompiledStep: Sendable {
    /// Ascending, for membership tests without hashing (the matcher's hot path).
    let phrases: [Int]
    let gapBefore: Int
    /// The only phrase of a one-phrase step.
    let single: Int?

    init(phrases: Set<Int>, gapBefore: Int) {
        self.phrases = phrases.sorted()
        self.gapBefore = gapBefore
        self.single = phrases.count == 1 ? phrases.first : nil
    }

    func accepts(_ phrase: Int) -> Bool { sortedContains(phrases, phrase) }
}

/// Binary search in an ascending array.
@inline(__always) func sortedContains(_ a: [Int], _ x: Int) -> Bool {
    var lo = 0, hi = a.count
    while lo < hi {
        let mid = (lo + hi) >> 1
        if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo < a.count && a[lo] == x
}

/// A compiled pattern: every part must match.
struct CompiledPattern: Sendable {
    var parts: [CompiledPart]
    /// All phrase ids the pattern mentions (for indexing the rule by phrase).
    var allPhrases: Set<Int> {
        var s = Set<Int>()
        for part in parts { for seq in part.sequences { for step in seq { s.formUnion(step.phrases) } } }
        return s
    }
}

/// One part of a pattern: it matches when any one of its sequences does.
struct CompiledPart: Sendable {
    let sequences: [[CompiledStep]]
    /// For each sequence, the phrase its first step needs when that step accepts just one, else
    /// -1. Parts list dozens of alternatives; the matcher skips those whose lead phrase is not in
    /// the message without loading their steps.
    let leads: [Int]

    init(sequences: [[CompiledStep]]) {
        self.sequences = sequences
        self.leads = sequences.map { $0.first?.single ?? -1 }
    }
}

/// A named cue list looked for next to a match ("no", "had", "my dad") that cancels it.
struct CompiledContext: Sendable {
    let name: String
    let side: ContextSide
    let window: Int
    /// The cues' phrase ids, ascending.
    let phrases: [Int]

    init(name: String, side: ContextSide, window: Int, phrases: Set<Int>) {
        self.name = name
        self.side = side
        self.window = window
        self.phrases = phrases.sorted()
    }

    func accepts(_ phrase: Int) -> Bool { sortedContains(phrases, phrase) }
}

/// What a rule contributes when it fires.
enum RuleEffect: Sendable {
    case intent(Intent)
    case complexity
    case sensitivity
}

/// A compiled `rule` or `signal`.
struct CompiledRule: Sendable {
    let id: String
    let effect: RuleEffect
    let weight: Double
    let unless: [Int]
    let pattern: CompiledPattern
    /// "file.rules:LINE"
    let citation: String
    /// The code of the reason a firing adds: "intent.INTENT", "complexity.ID" or "sensitivity.ID".
    let reasonCode: String
    /// The reason's detail up to the matched words, which follow in quotes (made once, not per message).
    let detailLead: String

    init(id: String, effect: RuleEffect, weight: Double, unless: [Int], pattern: CompiledPattern, citation: String) {
        self.id = id
        self.effect = effect
        self.weight = weight
        self.unless = unless
        self.pattern = pattern
        self.citation = citation
        switch effect {
        case .intent(let intent):
            reasonCode = "intent.\(intent.rawValue)"
            detailLead = "rule \(id) matched '"
        case .complexity:
            reasonCode = "complexity.\(id)"
            detailLead = "complexity signal matched '"
        case .sensitivity:
            reasonCode = "sensitivity.\(id)"
            detailLead = "sensitive topic matched '"
        }
    }
}

/// Routing policy for one intent.
struct IntentPolicy: Sendable {
    var route: Route
    var queue: String?
    var priority: Priority?
    var citation: String
}

/// The kinds an `entity` statement can name.
enum EntityKind: String, CaseIterable, Sendable {
    case service, location, visit_for, new_patient, language, provider

    /// The index of the kind in `allCases`.
    var position: Int {
        switch self {
        case .service: 0
        case .location: 1
        case .visit_for: 2
        case .new_patient: 3
        case .language: 4
        case .provider: 5
        }
    }
}

/// An entity value a phrase implies (`entity service dermatology = "skin doc"`).
struct EntityHit: Sendable {
    var kind: EntityKind
    var value: String
}

/// The thresholds every classification reads, resolved once per rule set (a named threshold, or
/// the default when the rules set none) instead of looked up by name per message.
struct Tuning: Sendable {
    let confidenceScale: Double
    let greetingYieldScore: Double
    let runnerUpDiscount: Double
    let ambiguityMargin: Double
    let automateMinConfidence: Double
    let automateMaxComplexity: Double
    let automateMaxSensitivity: Double
    /// The weight of the multiple-requests signal; nil turns the signal off.
    let multipleRequests: Double?
    let multipleRequestsMinScore: Double

    init(_ thresholds: [String: Double]) {
        confidenceScale = thresholds["confidence.scale"] ?? 1.0
        greetingYieldScore = thresholds["greeting.yield_score"] ?? 1.0
        runnerUpDiscount = thresholds["confidence.runner_up_discount"] ?? 0.5
        ambiguityMargin = thresholds["ambiguity.margin"] ?? 0.15
        automateMinConfidence = thresholds["automate.min_confidence"] ?? 0.7
        automateMaxComplexity = thresholds["automate.max_complexity"] ?? 0.5
        automateMaxSensitivity = thresholds["automate.max_sensitivity"] ?? 0.4
        multipleRequests = thresholds["complexity.multiple_requests"]
        multipleRequestsMinScore = thresholds["complexity.multiple_requests_min_score"] ?? 2.5
    }
}

/// Everything classification needs, built once per rule set and immutable after. A class, so
/// that the per-message classifier, matcher and entity extractor share it instead of copying
/// (and reference-counting) every table.
final class CompiledRules: Sendable {
    let normalizer: Normalizer
    let trie: PhraseTrie
    let contexts: [CompiledContext]
    let rules: [CompiledRule]
    /// Rules that mention each phrase, by phrase id.
    let rulesByPhrase: [[Int]]
    let policies: [Intent: IntentPolicy]
    /// The entity values each phrase implies, by phrase id.
    let entityPhrases: [[EntityHit]]
    let thresholds: [String: Double]
    let tuning: Tuning
    let thresholdCitations: [String: String]
    /// key -> language -> text
    let templates: [String: [String: String]]

    init(normalizer: Normalizer, trie: PhraseTrie, contexts: [CompiledContext], rules: [CompiledRule],
         rulesByPhrase: [[Int]], policies: [Intent: IntentPolicy], entityPhrases: [[EntityHit]],
         thresholds: [String: Double], thresholdCitations: [String: String], templates: [String: [String: String]]) {
        self.normalizer = normalizer
        self.trie = trie
        self.contexts = contexts
        self.rules = rules
        self.rulesByPhrase = rulesByPhrase
        self.policies = policies
        self.entityPhrases = entityPhrases
        self.thresholds = thresholds
        self.tuning = Tuning(thresholds)
        self.thresholdCitations = thresholdCitations
        self.templates = templates
    }
}
