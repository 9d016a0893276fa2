/// A trie over normalized tokens: one pass over a message finds every occurrence of every
/// phrase of the rule set, so cost grows with the message, not with the number of rules.
struct PhraseTrie: Sendable {
    private struct Node: Sendable {
        var children: [String: Int32] = [:]
        var phrase: Int32 = -1
    }
    private var nodes = [Node()]
    /// The token sequences, by phrase id.
    private(set) var phrases: [[String]] = []
    private var ids: [[String]: Int] = [:]

    /// The id of a phrase, adding it when new.
    mutating func insert(_ tokens: [String]) -> Int {
        if let id = ids[tokens] { return id }
        var node = 0
        for token in tokens {
            if let next = nodes[node].children[token] { node = Int(next); continue }
            nodes.append(Node())
            nodes[node].children[token] = Int32(nodes.count - 1)
            node = nodes.count - 1
        }
        let id = phrases.count
        phrases.append(tokens)
        ids[tokens] = id
        nodes[node].phrase = Int32(id)
        return id
    }

    /// Every phrase occurrence: (phrase id, first token, one past the last token).
    func scan(_ tokens: [String]) -> [PhraseMatch] {
        var matches: [PhraseMatch] = []
        for start in tokens.indices {
            var node = 0
            var i = start
            while i < tokens.count, let next = nodes[node].children[tokens[i]] {
                node = Int(next)
                i += 1
                let phrase = nodes[node].phrase
                if phrase >= 0 { matches.append(PhraseMatch(phrase: Int(phrase), start: start, end: i)) }
            }
        }
        return matches
    }
}

/// One occurrence of a phrase in a message.
struct PhraseMatch: Sendable, Equatable {
    var phrase: Int
    var start: Int
    var end: Int
}
