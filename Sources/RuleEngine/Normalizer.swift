import Foundation

/// Turns raw text into matching tokens: lowercased, accents folded, apostrophes dropped,
/// clause punctuation kept as the boundary token `|`, spelling variants rewritten, fillers and
/// immediate word repeats (speech recognition stutter) removed, and rare misspellings of known
/// words (length >= 5) repaired by one edit (symmetric-delete lookup, no per-call allocation
/// beyond the candidate strings).
struct Normalizer: Sendable {
    static let boundary = "|"
    /// variant -> correct word.
    var spellings: [String: String] = [:]
    /// Words dropped before matching (lexicon `filler`).
    var fillers: Set<String> = []
    /// Every word that appears in some phrase.
    var vocabulary: Set<String> = []
    /// one-deletion form -> vocabulary word (only for unambiguous forms).
    var deletions: [String: String] = [:]

    /// Splits text into raw lowercase tokens without spelling repair (used for rule phrases too).
    static func rawTokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() { if !word.isEmpty { tokens.append(word); word = "" } }
        let scalars = Array(text.lowercased().unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            // A decimal point inside a number ("101.2") is part of the word.
            if scalar == ".", let last = word.unicodeScalars.last, ("0"..."9").contains(last),
               i + 1 < scalars.count, ("0"..."9").contains(scalars[i + 1]) {
                word.unicodeScalars.append(scalar)
                continue
            }
            if let folded = fold(scalar) {
                word.unicodeScalars.append(folded)
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue
            } else {
                flush()
                if ".!?;,:\n".unicodeScalars.contains(scalar), tokens.last != boundary, !tokens.isEmpty {
                    // A colon between digits (2:30) is not a clause boundary.
                    if scalar == ":" { continue }
                    tokens.append(boundary)
                }
            }
        }
        flush()
        return tokens
    }

    private static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        switch s {
        case "a"..."z", "0"..."9": return s
        case "á", "à", "â", "ä": return "a"
        case "é", "è", "ê", "ë": return "e"
        case "í", "ì", "î", "ï": return "i"
        case "ó", "ò", "ô", "ö": return "o"
        case "ú", "ù", "û", "ü": return "u"
        case "ñ": return "n"
        case "$": return "$"
        default: return nil
        }
    }

    /// Builds the repair table: each vocabulary word (5+ letters) by its one-letter-short forms.
    mutating func prepareRepair() {
        var table: [String: String] = [:]
        var ambiguous: Set<String> = []
        for word in vocabulary where word.utf8.count >= 5 && Self.isLetters(word) {
            for form in Self.deletionForms(word) where !vocabulary.contains(form) {
                if let other = table[form], other != word { ambiguous.insert(form) } else { table[form] = word }
            }
        }
        for form in ambiguous { table[form] = nil }
        deletions = table
    }

    /// The word with one letter removed, each way. Words reaching here are ASCII (folded), so bytes suffice.
    private static func deletionForms(_ word: String) -> [String] {
        let bytes = Array(word.utf8)
        return bytes.indices.map { i in var c = bytes; c.remove(at: i); return String(decoding: c, as: UTF8.self) }
    }

    private static func isLetters(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 97 && $0 <= 122 } }
    private static func isDigits(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

    /// The normalized tokens of a message.
    func tokens(_ text: String) -> [String] {
        var out: [String] = []
        for raw in Self.rawTokens(text) {
            var token = spellings[raw] ?? raw
            if fillers.contains(token) { continue }
            if !vocabulary.contains(token) {
                // A plural of a known word ("throats" -> "throat").
                let length = token.utf8.count
                if length >= 4, token.utf8.last == UInt8(ascii: "s"), vocabulary.contains(String(token.dropLast())) {
                    token = String(token.dropLast())
                } else if length >= 5 {
                    token = repair(token) ?? token
                }
            }
            if token == out.last, token != Self.boundary, !Self.isDigits(token) { continue }
            out.append(token)
        }
        while out.last == Self.boundary { out.removeLast() }
        return out
    }

    /// One missing letter ("apointment"), one doubled letter ("appointmment") or two swapped
    /// letters ("pian"). Substitutions are not repaired: they turn real words into other real
    /// words too often ("changed" -> "charged", "cancer" -> "cancel").
    private func repair(_ token: String) -> String? {
        guard Self.isLetters(token) else { return nil }
        if let hit = deletions[token] { return hit }
        // An extra letter only when doubled ("appointmment"); "scheduled" must stay itself.
        let letters = Array(token.utf8)
        for i in 1..<letters.count where letters[i] == letters[i - 1] {
            var c = letters; c.remove(at: i)
            let form = String(decoding: c, as: UTF8.self)
            if c.count >= 5, vocabulary.contains(form) { return form }
        }
        var chars = letters
        for i in 0..<(chars.count - 1) where chars[i] != chars[i + 1] {
            chars.swapAt(i, i + 1)
            let swapped = String(decoding: chars, as: UTF8.self)
            chars.swapAt(i, i + 1)
            if vocabulary.contains(swapped) { return swapped }
        }
        return nil
    }
}
