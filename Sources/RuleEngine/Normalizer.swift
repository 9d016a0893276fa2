import Foundation

/// A message's tokens as the matcher sees them.
struct Tokens: Sendable {
    /// The words, with `Normalizer.boundary` for clause punctuation.
    private(set) var words: [String] = []
    /// Each word's number in the rules' vocabulary (`Normalizer.vocabulary`), or
    /// `Normalizer.boundaryID` / `Normalizer.unknownID`.
    private(set) var ids: [Int32] = []

    fileprivate init(capacity: Int) {
        words.reserveCapacity(capacity)
        ids.reserveCapacity(capacity)
    }

    fileprivate mutating func append(_ word: String, _ id: Int32) {
        words.append(word)
        ids.append(id)
    }

    fileprivate mutating func removeLast() {
        words.removeLast()
        ids.removeLast()
    }
}

/// Turns raw text into matching tokens: lowercased, accents folded, apostrophes dropped,
/// clause punctuation kept as the boundary token `|`, spelling variants rewritten, fillers and
/// immediate word repeats (speech recognition stutter) removed, and rare misspellings of known
/// words (length >= 5) repaired by one edit (symmetric-delete lookup).
///
/// Folded words are ASCII, so tokenizing works on UTF-8 bytes, and every word the rules know is
/// resolved once by `prepare()`: a message's token then costs one `WordTable` probe.
struct Normalizer: Sendable {
    static let boundary = "|"
    /// The id of the boundary token in `Tokens.ids`.
    static let boundaryID: Int32 = -1
    /// The id in `Tokens.ids` of a word no phrase uses.
    static let unknownID: Int32 = -2

    /// variant -> correct word.
    var spellings: [String: String] = [:]
    /// Words dropped before matching (lexicon `filler`).
    var fillers: Set<String> = []
    /// Every word that appears in some phrase, numbered (the phrase trie is keyed by these numbers).
    var vocabulary = WordTable()
    /// One-deletion forms of vocabulary words (only unambiguous forms), and the word of each.
    private var deletions = WordTable()
    private var deletionTargets: [Int32] = []
    /// `letterSum` of every vocabulary word: a word whose sum is not here has no anagram in the
    /// vocabulary, so no swap of two of its letters can repair it.
    private var letterSums: Set<UInt64> = []
    /// Every raw word that is a spelling variant, a filler or in the vocabulary, and the token it
    /// becomes (nil for a filler).
    private var known = WordTable()
    private var knownTokens: [(word: String, id: Int32)?] = []

    /// Splits text into raw lowercase tokens without spelling repair (used for rule phrases).
    static func rawTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var reader = RawTokenReader(text)
        while let token = reader.next() {
            switch token {
            case .word: tokens.append(String(decoding: reader.word, as: UTF8.self))
            case .boundary: tokens.append(boundary)
            }
        }
        return tokens
    }

    /// Builds the lookup tables once every phrase is in the vocabulary: the repair table (each
    /// vocabulary word of 5+ letters by its one-letter-short forms) and the token of every known word.
    mutating func prepare() {
        var table: [String: Int] = [:]
        var ambiguous: Set<String> = []
        for (number, word) in vocabulary.words.enumerated() where word.utf8.count >= 5 && Self.isLetters(word.utf8) {
            for form in Self.deletionForms(word) where vocabulary.number(of: form) == nil {
                if let other = table[form], other != number { ambiguous.insert(form) } else { table[form] = number }
            }
        }
        for form in ambiguous { table[form] = nil }
        deletions = WordTable()
        deletionTargets = []
        letterSums = Set(vocabulary.words.map { Self.letterSum($0.utf8) })
        for (form, number) in table.sorted(by: { $0.key < $1.key }) {
            deletions.insert(form)
            deletionTargets.append(Int32(number))
        }

        known = WordTable()
        knownTokens = []
        for raw in Set(spellings.keys).union(fillers).union(vocabulary.words).sorted() {
            known.insert(raw)
            let word = spellings[raw] ?? raw
            if fillers.contains(word) { knownTokens.append(nil); continue }
            var utf8 = word
            knownTokens.append(utf8.withUTF8 { resolve($0) } ?? (word, Self.unknownID))
        }
    }

    /// The word with one letter removed, each way. Words reaching here are ASCII (folded), so bytes suffice.
    private static func deletionForms(_ word: String) -> [String] {
        let bytes = Array(word.utf8)
        return bytes.indices.map { i in var c = bytes; c.remove(at: i); return String(decoding: c, as: UTF8.self) }
    }

    /// A hash of a word's letters that ignores their order (anagrams have the same sum).
    private static func letterSum(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var sum: UInt64 = 0
        for b in bytes {
            var x = (UInt64(b) &+ 1) &* 0x9E37_79B9_7F4A_7C15
            x ^= x >> 29
            sum &+= x &* 0xBF58_476D_1CE4_E5B9
        }
        return sum
    }

    private static func isLetters(_ s: some Sequence<UInt8>) -> Bool { s.allSatisfy { $0 >= 97 && $0 <= 122 } }
    private static func isDigits(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

    /// The normalized tokens of a message.
    func tokens(_ text: String) -> Tokens {
        var out = Tokens(capacity: text.utf8.count / 4 + 4)
        var reader = RawTokenReader(text)
        while let raw = reader.next() {
            guard raw == .word else {
                out.append(Self.boundary, Self.boundaryID)
                continue
            }
            guard let token = reader.word.withUnsafeBufferPointer(token(for:)) else { continue }  // a filler
            // A repeat is dropped unless it is a number. Vocabulary words are equal when their ids
            // are; other words never equal a vocabulary word.
            if let last = out.ids.last, last != Self.boundaryID, last == token.id,
               token.id != Self.unknownID || out.words.last == token.word, !Self.isDigits(token.word) {
                continue
            }
            out.append(token.word, token.id)
        }
        while out.ids.last == Self.boundaryID { out.removeLast() }
        return out
    }

    /// The token a raw word becomes, nil for a filler.
    private func token(for raw: UnsafeBufferPointer<UInt8>) -> (word: String, id: Int32)? {
        if let number = known.number(of: raw) { return knownTokens[number] }
        // Not known, so not in the vocabulary either.
        return respell(raw) ?? (String(decoding: raw, as: UTF8.self), Self.unknownID)
    }

    /// The vocabulary word a word stands for: itself, or what `respell` makes of it.
    private func resolve(_ word: UnsafeBufferPointer<UInt8>) -> (word: String, id: Int32)? {
        if let number = vocabulary.number(of: word) { return (vocabulary.words[number], Int32(number)) }
        return respell(word)
    }

    /// The vocabulary word a word outside the vocabulary stands for: a plural of a known word
    /// ("throats" -> "throat"), else (5+ letters) a repaired misspelling; nil when neither.
    private func respell(_ word: UnsafeBufferPointer<UInt8>) -> (word: String, id: Int32)? {
        let length = word.count
        if length >= 4, word[length - 1] == UInt8(ascii: "s"),
           let number = vocabulary.number(of: UnsafeBufferPointer(rebasing: word.dropLast())) {
            return (vocabulary.words[number], Int32(number))
        }
        guard length >= 5, let number = repair(word) else { return nil }
        return (vocabulary.words[number], Int32(number))
    }

    /// One missing letter ("apointment"), one doubled letter ("appointmment") or two swapped
    /// letters ("pian"). Substitutions are not repaired: they turn real words into other real
    /// words too often ("changed" -> "charged", "cancer" -> "cancel").
    private func repair(_ token: UnsafeBufferPointer<UInt8>) -> Int? {
        guard Self.isLetters(token) else { return nil }
        if let hit = deletions.number(of: token) { return Int(deletionTargets[hit]) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: token.count) { scratch in
            // An extra letter only when doubled ("appointmment"); "scheduled" must stay itself.
            if token.count - 1 >= 5 {
                for i in 1..<token.count where token[i] == token[i - 1] {
                    _ = scratch.initialize(from: token[..<i])
                    _ = UnsafeMutableBufferPointer(rebasing: scratch[i...]).initialize(from: token[(i + 1)...])
                    if let hit = vocabulary.number(of: UnsafeBufferPointer(rebasing: scratch[..<(token.count - 1)])) { return hit }
                }
            }
            guard letterSums.contains(Self.letterSum(token)) else { return nil }
            _ = scratch.initialize(from: token)
            let letters = UnsafeBufferPointer(scratch)
            for i in 0..<(token.count - 1) where scratch[i] != scratch[i + 1] {
                scratch.swapAt(i, i + 1)
                let hit = vocabulary.number(of: letters)
                scratch.swapAt(i, i + 1)
                if let hit { return hit }
            }
            return nil
        }
    }
}

/// Reads a text's raw tokens one at a time: lowercased, accents folded, apostrophes dropped, a
/// decimal point inside a number kept, anything else a separator, and clause punctuation
/// (`. ! ? ; ,` and line feeds, not colons: "2:30") a boundary. Never two boundaries in a row,
/// and none before the first word.
///
/// Folded words are ASCII, so the reader works on UTF-8 bytes; only text with non-ASCII
/// characters is lowercased the Unicode way first.
private struct RawTokenReader {
    enum Token { case word, boundary }

    private let utf8: [UInt8]
    private var position = 0
    /// The folded bytes of the word `next()` last returned.
    private(set) var word: [UInt8] = []
    private var started = false, afterBoundary = false, boundaryPending = false

    init(_ text: String) {
        utf8 = text.utf8.allSatisfy { $0 < 0x80 } ? Array(text.utf8) : Array(text.lowercased().utf8)
        word.reserveCapacity(32)
    }

    mutating func next() -> Token? {
        word.removeAll(keepingCapacity: true)
        if boundaryPending {
            boundaryPending = false
            afterBoundary = true
            return .boundary
        }
        while position < utf8.count {
            let (scalar, length) = decode(at: position)
            position += length
            // A decimal point inside a number ("101.2") is part of the word.
            if scalar == 0x2E, let last = word.last, Self.isDigit(last), position < utf8.count, Self.isDigit(utf8[position]) {
                word.append(0x2E)
            } else if let folded = Self.fold(scalar) {
                word.append(folded)
            } else if scalar != 0x27 && scalar != 0x2019 {  // apostrophes vanish: "don't" is "dont"
                let clauseEnd = Self.isClauseEnd(scalar)
                if !word.isEmpty {
                    started = true
                    afterBoundary = false
                    boundaryPending = clauseEnd
                    return .word
                }
                if clauseEnd, started, !afterBoundary {
                    afterBoundary = true
                    return .boundary
                }
            }
        }
        return word.isEmpty ? nil : .word
    }

    /// The scalar starting at byte `i` (the text is valid UTF-8), and its length in bytes.
    private func decode(at i: Int) -> (UInt32, Int) {
        let lead = UInt32(utf8[i])
        if lead < 0x80 { return (lead, 1) }
        func next(_ k: Int) -> UInt32 { UInt32(utf8[i + k]) & 0x3F }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | next(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `. ! ? ; ,` and a line feed.
    private static func isClauseEnd(_ s: UInt32) -> Bool {
        s == 0x2E || s == 0x21 || s == 0x3F || s == 0x3B || s == 0x2C || s == 0x0A
    }

    /// The lowercase ASCII byte a word scalar folds to (a-z, 0-9, accented vowels, ñ, $); nil
    /// for anything else. Uppercase ASCII only arrives here from all-ASCII text.
    private static func fold(_ s: UInt32) -> UInt8? {
        switch s {
        case 0x61...0x7A, 0x30...0x39, 0x24: return UInt8(s)
        case 0x41...0x5A: return UInt8(s) + 0x20
        case 0xE0, 0xE1, 0xE2, 0xE4: return UInt8(ascii: "a")  // à á â ä
        case 0xE8...0xEB: return UInt8(ascii: "e")  // è é ê ë
        case 0xEC...0xEF: return UInt8(ascii: "i")  // ì í î ï
        case 0xF2, 0xF3, 0xF4, 0xF6: return UInt8(ascii: "o")  // ò ó ô ö
        case 0xF9...0xFC: return UInt8(ascii: "u")  // ù ú û ü
        case 0xF1: return UInt8(ascii: "n")  // ñ
        default: return nil
        }
    }
}
