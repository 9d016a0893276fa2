import Foundation

/// Makes replies speakable by a text-to-speech engine: no URLs, no e-mail addresses, no
/// symbols read aloud, short.
public enum Speech {
    /// The speakable form of `text`, at most `maxCharacters` long, cut at a sentence end.
    public static func speakable(_ text: String, maxCharacters: Int = 320) -> String {
        var words: [String] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let w = String(word)
            let lower = w.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") { continue }
            if w.contains("@") && w.contains(".") { continue }
            words.append(w.replacingOccurrences(of: "&", with: "and"))
        }
        var out = words.joined(separator: " ")
        out = String(out.unicodeScalars.filter { s in
            CharacterSet.letters.contains(s) || CharacterSet.decimalDigits.contains(s) || " .,;:?!'-()¿¡%$".unicodeScalars.contains(s)
        })
        out = out.replacingOccurrences(of: " ,", with: ",").replacingOccurrences(of: "  ", with: " ")
            .trimmingCharacters(in: .whitespaces)
        guard out.count > maxCharacters else { return out }
        let head = String(out.prefix(maxCharacters))
        if let end = head.lastIndex(where: { ".?!".contains($0) }) { return String(head[...end]) }
        return head.trimmingCharacters(in: .whitespaces)
    }
}
