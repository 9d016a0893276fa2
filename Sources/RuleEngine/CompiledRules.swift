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
    var id: String
    var effect: RuleEffect
    var weight: Double
    var unless: [Int]
    var pattern: CompiledPattern
    /// "file.rules:LINE"
    var citation: String
}

/// Routing policy for one intent.
struct IntentPolicy: Sendable {
    var route: Route
    var queue: String?
    var priority: Priority?
    var citation: String
}

/// An entity value a phrase implies (`entity service dermatology = "skin doc"`).
struct EntityHit: Sendable {
    var kind: String
    var value: String
}

/// Everything classification needs, built once per rule set.
struct CompiledRules: Sendable {
    var normalizer = Normalizer()
    var trie = PhraseTrie()
    var contexts: [CompiledContext] = []
    var rules: [CompiledRule] = []
    /// phrase id -> rules that mention it.
    var rulesByPhrase: [Int: [Int]] = [:]
    var policies: [Intent: IntentPolicy] = [:]
    /// phrase id -> entity values it implies.
    var entityPhrases: [Int: [EntityHit]] = [:]
    var thresholds: [String: Double] = [:]
    var thresholdCitations: [String: String] = [:]
    /// key -> language -> text
    var templates: [String: [String: String]] = [:]

    func threshold(_ name: String, _ fallback: Double) -> Double { thresholds[name] ?? fallback }
}
