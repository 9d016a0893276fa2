/// A trie over vocabulary numbers: one pass over a message finds every occurrence of every
/// phrase of the rule set, so cost grows with the message, not with the number of rules.
///
/// Phrases are added with `insert`; `prepare(wordCount:)` then lays the trie out for `scan`: the
/// root's children in an array indexed by word, every other node's children as a sorted run.
struct PhraseTrie: Sendable {
    /// Children by word, per node (while building).
    private var children: [[Int32: Int32]] = [[:]]
    /// The phrase ending at each node, -1 for none.
    private var phraseAt: [Int32] = [-1]
    /// Phrase ids by word sequence.
    private var ids: [[Int32]: Int] = [:]

    /// The root's child by word number, 0 for none (the root is no one's child).
    private var rootChild: [Int32] = []
    /// Node n's children are `edgeWords[edgeStart[n]..<edgeStart[n + 1]]` (ascending) and the
    /// same range of `edgeTargets`.
    private var edgeStart: [Int32] = []
    private var edgeWords: [Int32] = []
    private var edgeTargets: [Int32] = []

    /// The number of phrases; ids run from 0 to `count - 1`.
    var count: Int { ids.count }

    /// The id of a phrase (vocabulary numbers), adding it when new.
    mutating func insert(_ words: [Int32]) -> Int {
        if let id = ids[words] { return id }
        var node = 0
        for word in words {
            if let next = children[node][word] { node = Int(next); continue }
            children.append([:])
            phraseAt.append(-1)
            children[node][word] = Int32(children.count - 1)
            node = children.count - 1
        }
        let id = ids.count
        ids[words] = id
        phraseAt[node] = Int32(id)
        return id
    }

    /// Lays out the trie for `scan`; call after the last `insert`, with the vocabulary's size.
    mutating func prepare(wordCount: Int) {
        rootChild = [Int32](repeating: 0, count: wordCount)
        for (word, child) in children[0] { rootChild[Int(word)] = child }
        edgeStart = [0]
        edgeWords = []
        edgeTargets = []
        for node in children.indices {
            if node > 0 {
                for (word, child) in children[node].sorted(by: { $0.key < $1.key }) {
                    edgeWords.append(word)
                    edgeTargets.append(child)
                }
            }
            edgeStart.append(Int32(edgeWords.count))
        }
    }

    /// Every phrase occurrence in a message's word numbers (`Tokens.ids`): (phrase id, first
    /// token, one past the last token), by start and then by length.
    func scan(_ words: [Int32]) -> [PhraseMatch] {
        var matches: [PhraseMatch] = []
        for start in words.indices where words[start] >= 0 {
            var node = Int(rootChild[Int(words[start])])
            var i = start + 1
            while node > 0 {
                let phrase = phraseAt[node]
                if phrase >= 0 { matches.append(PhraseMatch(phrase: Int(phrase), start: start, end: i)) }
                guard i < words.count, words[i] >= 0 else { break }
                node = child(of: node, words[i])
                i += 1
            }
        }
        return matches
    }

    /// The child of a non-root node for a word, 0 for none.
    private func child(of node: Int, _ word: Int32) -> Int {
        var lo = Int(edgeStart[node]), hi = Int(edgeStart[node + 1])
        while lo < hi {
            let mid = (lo + hi) >> 1
            if edgeWords[mid] < word { lo = mid + 1 } else { hi = mid }
        }
        return lo < Int(edgeStart[node + 1]) && edgeWords[lo] == word ? Int(edgeTargets[lo]) : 0
    }
}

/// One occurrence of a phrase in a message.
struct PhraseMatch: Sendable, Equatable {
    var phrase: Int
    var start: Int
    var end: Int
}
