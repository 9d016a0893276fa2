import IntakeCore
import RuleLanguage

/// One term of a compiled sequence: the phrase ids it accepts and the gap allowed before it.
struct CompiledStep: Sendable {
    var phrases: Set<Int> { didSet { sorted = phrases.sorted() } }
    var gapBefore: Int
    /// The same ids sorted, for membership tests without hashing (the matcher's hot path).
    private(set) var sorted: [Int]

    init(phrases: Set<Int>, gapBefore: Int) {
        self.phrases = phrases
        self.gapBefore = gapBefore
        self.sorted = phrases.sorted()
    }

    /// The only phrase of a one-phrase step.
    var single: Int? { sorted.count == 1 ? sorted[0] : nil }

    func accepts(_ phrase: Int) -> Bool { sortedContains(sorted, phrase) }
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

/// A compiled pattern: every part must match; a part is any one of its sequences.
struct CompiledPattern: Sendable {
    var parts: [[[CompiledStep]]]
    /// All phrase ids the pattern mentions (for indexing the rule by phrase).
    var allPhrases: Set<Int> {
        var s = Set<Int>()
        for part in parts { for seq in part { for step in seq { s.formUnion(step.phrases) } } }
        return s
    }
}

/// A named cue list looked for next to a match ("no", "had", "my dad") that cancels it.
struct CompiledContext: Sendable {
    var name: String
    var side: ContextSide
    var window: Int
    var phrases: Set<Int> { didSet { sorted = phrases.sorted() } }
    private(set) var sorted: [Int]

    init(name: String, side: ContextSide, window: Int, phrases: Set<Int>) {
        self.name = name
        self.side = side
        self.window = window
        self.phrases = phrases
        self.sorted = phrases.sorted()
    }

    func accepts(_ phrase: Int) -> Bool { sortedContains(sorted, phrase) }
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

/// Everything classification needs, built once per rule set.
struct CompiledRules: Sendable {
    var normalizer = Normalizer()
    var trie = PhraseTrie()
    var contexts: [CompiledContext] = []
    var rules: [CompiledRule] = []
    /// Rules that mention each phrase, by phrase id.
    var rulesByPhrase: [[Int]] = []
    var policies: [Intent: IntentPolicy] = [:]
    /// The entity values each phrase implies, by phrase id.
    var entityPhrases: [[EntityHit]] = []
    var thresholds: [String: Double] = [:]
    var thresholdCitations: [String: String] = [:]
    /// key -> language -> text
    var templates: [String: [String: String]] = [:]

    func threshold(_ name: String, _ fallback: Double) -> Double { thresholds[name] ?? fallback }
}
