import IntakeCore
import RuleLanguage

/// One term of a compiled sequence: the phrase ids it accepts and the gap allowed before it.
struct CompiledStep: Sendable {
    var phrases: Set<Int>
    var gapBefore: Int
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
    var phrases: Set<Int>
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
