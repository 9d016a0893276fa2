import Foundation

/// One find-and-replace pass: every match of `regex` (or of its capture `group`) becomes the
/// placeholder of `kind`, unless `accept` rejects the matched text.
struct RedactionPass: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented thread-safe;
    // swift-corelibs-foundation does not mark it Sendable.
    let kind: RedactionKind
    let regex: NSRegularExpression
    let group: Int
    let accept: (@Sendable (String) -> Bool)?

    init(_ kind: RedactionKind, _ pattern: String, group: Int = 0, caseInsensitive: Bool = true,
         accept: (@Sendable (String) -> Bool)? = nil) {
        self.kind = kind
        var options: NSRegularExpression.Options = []
        if caseInsensitive { options.insert(.caseInsensitive) }
        // The patterns are constants of this module; a bad one is a programming error.
        self.regex = try! NSRegularExpression(pattern: pattern, options: options)
        self.group = group
        self.accept = accept
    }

    /// Applies the pass to `text`, adding the number of replacements to `counts`.
    func apply(to text: String, counts: inout [RedactionKind: Int]) -> String {
        let ns = NSMutableString(string: text)
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        var replaced = 0
        // Back to front, so earlier ranges stay valid while later ones change length.
        for match in matches.reversed() {
            let range = match.range(at: group)
            guard range.location != NSNotFound, range.length > 0 else { continue }
            let found = ns.substring(with: range)
            if found.hasPrefix("[") && found.hasSuffix("]") { continue }
            if let accept, !accept(found) { continue }
            ns.replaceCharacters(in: range, with: kind.placeholder)
            replaced += 1
        }
        if replaced > 0 { counts[kind, default: 0] += replaced }
        return String(ns)
    }
}
