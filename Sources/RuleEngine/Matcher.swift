/// A rule that fired on a message, with the words that made it fire.
struct FiredRule: Sendable {
    var rule: Int
    var matched: String
}

/// Evaluates compiled rules against one message's tokens.
struct Matcher {
    let rules: CompiledRules
    let tokens: Tokens
    let matches: [PhraseMatch]
    /// One bit per phrase id: whether the phrase occurs in the message. A rule's pattern lists
    /// many alternatives; most are ruled out by this test without walking the matches.
    private let occurring: [UInt64]

    init(rules: CompiledRules, tokens: Tokens) {
        self.rules = rules
        self.tokens = tokens
        self.matches = rules.trie.scan(tokens.ids)
        var bits = [UInt64](repeating: 0, count: rules.trie.count / 64 + 1)
        for m in matches { bits[m.phrase >> 6] |= 1 << UInt64(m.phrase & 63) }
        self.occurring = bits
    }

    private func occurs(_ phrase: Int) -> Bool { occurring[phrase >> 6] & (1 << UInt64(phrase & 63)) != 0 }

    /// Every rule that fires, in rule-file order.
    func fired() -> [FiredRule] {
        var candidates: [Int] = []
        // Each phrase's rules once: its bit is cleared at its first match.
        var unseen = occurring
        for m in matches where unseen[m.phrase >> 6] & (1 << UInt64(m.phrase & 63)) != 0 {
            unseen[m.phrase >> 6] &= ~(1 << UInt64(m.phrase & 63))
            candidates.append(contentsOf: rules.rulesByPhrase[m.phrase])
        }
        candidates.sort()
        var out: [FiredRule] = []
        var spans: [Range<Int>] = []
        var previous = -1
        for index in candidates where index != previous {
            previous = index
            if evaluate(index, into: &spans) { out.append(FiredRule(rule: index, matched: words(spans))) }
        }
        return out
    }

    /// Whether every part of the rule's pattern matches uncancelled; `spans` gets each part's span.
    private func evaluate(_ rule: Int, into spans: inout [Range<Int>]) -> Bool {
        spans.removeAll(keepingCapacity: true)
        let unless = rules.rules[rule].unless
        for part in rules.rules[rule].pattern.parts {
            var found: Range<Int>?
            for (sequence, lead) in zip(part.sequences, part.leads) where found == nil && (lead < 0 || occurs(lead)) {
                found = firstChain(sequence, unless: unless)
            }
            guard let found else { return false }
            spans.append(found)
        }
        return true
    }

    /// The matched words: each span's tokens joined by spaces, the spans by " + ".
    private func words(_ spans: [Range<Int>]) -> String {
        var text = ""
        for (n, span) in spans.enumerated() {
            if n > 0 { text += " + " }
            for i in span {
                if i > span.lowerBound { text += " " }
                text += tokens.words[i]
            }
        }
        return text
    }

    /// The span of the first occurrence of the sequence that no `unless` context cancels.
    private func firstChain(_ steps: [CompiledStep], unless: [Int]) -> Range<Int>? {
        guard let first = steps.first else { return nil }
        // A message has a few dozen phrase matches, fewer than a lexicon's phrases (up to
        // hundreds): walk the matches and test membership rather than look up every phrase.
        if let phrase = first.single {
            for m in matches where m.phrase == phrase {
                if let end = extend(steps, 1, m.end), !cancelled(m.start, end, unless) { return m.start..<end }
            }
            return nil
        }
        for m in matches where first.accepts(m.phrase) {
            if let end = extend(steps, 1, m.end), !cancelled(m.start, end, unless) { return m.start..<end }
        }
        return nil
    }

    private func extend(_ steps: [CompiledStep], _ index: Int, _ position: Int) -> Int? {
        if index == steps.count { return position }
        let step = steps[index]
        // Matches are ordered by start (the trie scans left to right).
        if let phrase = step.single {
            guard occurs(phrase) else { return nil }
            for m in matches where m.phrase == phrase && m.start >= position && m.start <= position + step.gapBefore {
                if let end = extend(steps, index + 1, m.end) { return end }
            }
            return nil
        }
        for m in matches {
            if m.start < position { continue }
            if m.start > position + step.gapBefore { break }
            if step.accepts(m.phrase), let end = extend(steps, index + 1, m.end) { return end }
        }
        return nil
    }

    /// Whether a cue of one of the contexts stands next to the span within its window and clause
    /// (or, for an `anywhere` context, is anywhere in the message).
    func cancelled(_ start: Int, _ end: Int, _ contexts: [Int]) -> Bool {
        for c in contexts {
            let context = rules.contexts[c]
            for m in matches where context.accepts(m.phrase) {
                let before = m.end <= start && m.end >= start - context.window && !crossesBoundary(m.end, start)
                let after = m.start >= end && m.start <= end + context.window && !crossesBoundary(end, m.start)
                switch context.side {
                case .before: if before { return true }
                case .after: if after { return true }
                case .around: if before || after { return true }
                case .anywhere: return true
                }
            }
        }
        return false
    }

    private func crossesBoundary(_ from: Int, _ to: Int) -> Bool {
        guard from < to else { return false }
        return tokens.ids[from..<to].contains(Normalizer.boundaryID)
    }
}
