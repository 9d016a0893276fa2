import IntakeCore
import RuleLanguage

/// Turns parsed rule files into `CompiledRules`, checking names across all files and reporting
/// every semantic error with its location.
struct Compiler {
    private var normalizer = Normalizer()
    private var trie = PhraseTrie()
    private var contexts: [CompiledContext] = []
    private var rules: [CompiledRule] = []
    private var policies: [Intent: IntentPolicy] = [:]
    private var thresholds: [String: Double] = [:]
    private var thresholdCitations: [String: String] = [:]
    private var templates: [String: [String: String]] = [:]
    private var diagnostics: [Diagnostic] = []
    private var lexicons: [String: (phrases: Set<Int>, at: SourceLocation)] = [:]
    private var contextIndex: [String: Int] = [:]
    private var seen: [String: SourceLocation] = [:]
    private var entityLexicons: [String: Set<Int>] = [:]
    /// Rules by phrase id and entity values by phrase id, until the phrase count is known.
    private var rulesByPhrase: [Int: [Int]] = [:]
    private var entityPhrases: [Int: [EntityHit]] = [:]

    static func compile(_ files: [RuleFile]) -> Result<CompiledRules, RuleSetError> {
        var c = Compiler()
        let all = files.flatMap { f in f.statements.map { (f.name, $0) } }
        for (_, s) in all { c.collectSpelling(s) }
        for (_, s) in all { c.collectNames(s) }
        for (file, s) in all { c.compileStatement(s, file: file) }
        if !c.diagnostics.isEmpty { return .failure(RuleSetError(diagnostics: c.diagnostics)) }
        c.normalizer.prepare()
        c.trie.prepare(wordCount: c.normalizer.vocabulary.count)
        return .success(CompiledRules(
            normalizer: c.normalizer, trie: c.trie, contexts: c.contexts, rules: c.rules,
            rulesByPhrase: (0..<c.trie.count).map { c.rulesByPhrase[$0] ?? [] }, policies: c.policies,
            entityPhrases: (0..<c.trie.count).map { c.entityPhrases[$0] ?? [] },
            thresholds: c.thresholds, thresholdCitations: c.thresholdCitations, templates: c.templates))
    }

    private mutating func error(_ at: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(at: at, message))
    }

    private func cite(_ l: SourceLocation) -> String { "\(l.file):\(l.line)" }

    /// Registers a name in its namespace; reports a second definition.
    private mutating func define(_ namespace: String, _ name: Name) -> Bool {
        let key = namespace + " " + name.text
        if let first = seen[key] {
            error(name.location, "\(namespace) '\(name.text)' is already defined at \(cite(first))")
            return false
        }
        seen[key] = name.location
        return true
    }

    private mutating func collectSpelling(_ located: LocatedStatement) {
        guard case .spelling(let word, let variants) = located.statement else { return }
        for v in variants {
            let tokens = Normalizer.rawTokens(v.text)
            guard tokens.count == 1 else { error(v.location, "a spelling variant must be one word"); continue }
            if let other = normalizer.spellings[tokens[0]], other != word.text {
                error(v.location, "spelling variant '\(tokens[0])' already maps to '\(other)'")
            }
            normalizer.spellings[tokens[0]] = word.text
        }
    }

    /// Normalized tokens of a rule phrase, registered in the trie and vocabulary.
    private mutating func phraseID(_ item: PhraseItem) -> Int? {
        let tokens = Normalizer.rawTokens(item.text).map { normalizer.spellings[$0] ?? $0 }
            .filter { $0 != Normalizer.boundary }
        guard !tokens.isEmpty else { error(item.location, "phrase has no words"); return nil }
        let words = tokens.map { Int32(normalizer.vocabulary.insert($0)) }
        return trie.insert(words)
    }

    private mutating func phraseSet(_ items: [PhraseItem]) -> Set<Int> {
        Set(items.compactMap { phraseID($0) })
    }

    private mutating func collectNames(_ located: LocatedStatement) {
        switch located.statement {
        case .lexicon(let name, let phrases):
            guard define("lexicon", name) else { return }
            lexicons[name.text] = (phraseSet(phrases), name.location)
            if name.text == "filler" {
                for p in phrases { normalizer.fillers.formUnion(Normalizer.rawTokens(p.text)) }
            }
        case .context(let name, let side, let window, let cues):
            guard define("context", name) else { return }
            contextIndex[name.text] = contexts.count
            contexts.append(CompiledContext(name: name.text, side: side, window: window, phrases: phraseSet(cues)))
        case .entity(let kind, let value, let phrases):
            guard let entityKind = EntityKind(rawValue: kind.text) else {
                let kinds = EntityKind.allCases.map(\.rawValue).sorted().joined(separator: ", ")
                return error(kind.location, "unknown entity kind '\(kind.text)' (expected \(kinds))")
            }
            let ids = phraseSet(phrases)
            for id in ids { entityPhrases[id, default: []].append(EntityHit(kind: entityKind, value: value.text)) }
            // `@entity.KIND` in a pattern stands for every phrase of that entity kind.
            entityLexicons["entity." + kind.text, default: []].formUnion(ids)
        default: return
        }
    }

    private mutating func compileStatement(_ located: LocatedStatement, file: String) {
        switch located.statement {
        case .threshold(let name, let value):
            guard define("threshold", name) else { return }
            if name.text.hasPrefix("automate.") || name.text.hasSuffix("confidence") || name.text == "ambiguity.margin",
               !(0...1).contains(value) {
                error(name.location, "threshold '\(name.text)' must be between 0 and 1")
            }
            thresholds[name.text] = value
            thresholdCitations[name.text] = cite(located.location)
        case .policy(let intent, let route, let queue, let priority):
            compilePolicy(intent, route, queue, priority, at: located.location)
        case .rule(let id, let intentName, let weight, let unless, let pattern):
            guard let intent = Intent(rawValue: intentName.text) else {
                return error(intentName.location, "unknown intent '\(intentName.text)'")
            }
            addRule(id, .intent(intent), weight, unless, pattern, at: located.location)
        case .signal(let id, let dimension, let weight, let unless, let pattern):
            switch dimension.text {
            case "complexity": addRule(id, .complexity, weight, unless, pattern, at: located.location)
            case "sensitivity": addRule(id, .sensitivity, weight, unless, pattern, at: located.location)
            default: error(dimension.location, "expected complexity or sensitivity, found '\(dimension.text)'")
            }
        case .template(let key, let language, let text):
            guard define("template", Name(text: key.text + " " + language.text, location: key.location)) else { return }
            templates[key.text, default: [:]][language.text] = text
        case .lexicon, .context, .spelling, .entity:
            return
        }
    }

    private mutating func compilePolicy(_ intent: Name, _ route: Name, _ queue: Name?, _ priority: Name?, at: SourceLocation) {
        guard let i = Intent(rawValue: intent.text) else { return error(intent.location, "unknown intent '\(intent.text)'") }
        guard let r = Route(rawValue: route.text) else {
            return error(route.location, "unknown route '\(route.text)' (expected automate, human or emergency)")
        }
        var p: Priority?
        if let priority {
            guard let value = Priority(rawValue: priority.text) else {
                return error(priority.location, "unknown priority '\(priority.text)' (expected urgent, high or normal)")
            }
            p = value
        }
        guard define("policy", intent) else { return }
        policies[i] = IntentPolicy(route: r, queue: queue?.text, priority: p, citation: cite(at))
    }

    private mutating func addRule(_ id: Name, _ effect: RuleEffect, _ weight: Double, _ unless: [Name],
                                  _ pattern: Pattern, at: SourceLocation) {
        guard define("rule", id) else { return }
        if weight <= 0 || weight > 100 { error(id.location, "weight must be greater than 0 and at most 100") }
        var contexts: [Int] = []
        for name in unless {
            if let index = contextIndex[name.text] { contexts.append(index) } else {
                error(name.location, "unknown context '\(name.text)'")
            }
        }
        guard let compiled = compilePattern(pattern) else { return }
        let index = rules.count
        rules.append(CompiledRule(id: id.text, effect: effect, weight: weight, unless: contexts,
                                      pattern: compiled, citation: cite(at)))
        for phrase in compiled.allPhrases { rulesByPhrase[phrase, default: []].append(index) }
    }

    private mutating func compilePattern(_ pattern: Pattern) -> CompiledPattern? {
        var ok = true
        var parts: [CompiledPart] = []
        for alternation in pattern.parts {
            var sequences: [[CompiledStep]] = []
            for sequence in alternation.sequences {
                var steps: [CompiledStep] = []
                for step in sequence {
                    switch step.term {
                    case .phrase(let text):
                        guard let id = phraseID(PhraseItem(text: text, location: step.location)) else { ok = false; continue }
                        steps.append(CompiledStep(phrases: [id], gapBefore: step.gapBefore))
                    case .lexicon(let name):
                        guard let phrases = lexicons[name]?.phrases ?? entityLexicons[name] else {
                            error(step.location, "unknown lexicon '@\(name)'"); ok = false; continue
                        }
                        steps.append(CompiledStep(phrases: phrases, gapBefore: step.gapBefore))
                    }
                }
                sequences.append(steps)
            }
            parts.append(CompiledPart(sequences: sequences))
        }
        return ok ? CompiledPattern(parts: parts) : nil
    }
}
