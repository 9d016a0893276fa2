/// A set of words numbered 0, 1, 2, ... in insertion order, looked up by UTF-8 bytes.
///
/// Classification looks up every token of a message, and the spelling repair looks up several
/// made-up forms of each unknown word; probing with bytes needs no `String` per form and no
/// `Hasher` (FNV-1a, open addressing). Words are equal when their bytes are: message tokens are
/// folded ASCII, where that is the same as `String` equality.
struct WordTable: Sendable {
    /// The words, by number.
    private(set) var words: [String] = []
    /// All words' bytes back to back; word i is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// Word numbers by hash, -1 for an empty slot; the count is a power of two, at most half full.
    private var slots = [Int32](repeating: -1, count: 16)

    var count: Int { words.count }

    /// The number of `word`, adding it when new.
    @discardableResult
    mutating func insert(_ word: String) -> Int {
        if let number = number(of: word) { return number }
        if (count + 1) * 2 > slots.count { rehash(capacity: slots.count * 2) }
        let number = count
        words.append(word)
        bytes.append(contentsOf: word.utf8)
        starts.append(bytes.count)
        var slot = Self.hash(word.utf8) & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = Int32(number)
        return number
    }

    func number(of word: String) -> Int? {
        var word = word
        return word.withUTF8 { number(of: $0) }
    }

    /// The number of the word spelled by `word`'s bytes, nil when it is not in the table.
    func number(of word: UnsafeBufferPointer<UInt8>) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(word) & mask
        return bytes.withUnsafeBufferPointer { bytes in
            while true {
                let number = Int(slots[slot])
                if number < 0 { return nil }
                let start = starts[number]
                if starts[number + 1] - start == word.count, (0..<word.count).allSatisfy({ bytes[start + $0] == word[$0] }) {
                    return number
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: -1, count: capacity)
        for number in words.indices {
            var slot = Self.hash(bytes[starts[number]..<starts[number + 1]]) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(number)
        }
    }

    /// FNV-1a, folded to an `Int`.
    private static func hash(_ bytes: some Sequence<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
