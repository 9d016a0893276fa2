/// Parses one rule file. Recovers at the end of a bad statement so all errors are reported.
/// Every loop consumes a token or stops at `.newline`/`.end`, so parsing always terminates.
public struct Parser {
    private struct Failure: Error { var diagnostic: Diagnostic }

    private var tokens: [Token]
    private var index = 0
    private let file: String

    /// Parses `text` (named `file` in diagnostics).
    public static func parse(text: String, file: String) -> RuleFile {
        var lexer = Lexer(text: text, file: file)
        let tokens = lexer.tokenize()
        var parser = Parser(tokens: tokens, file: file)
        var result = parser.parseFile()
        result.diagnostics = (lexer.diagnostics + result.diagnostics).sorted()
        return result
    }

    private init(tokens: [Token], file: String) { self.tokens = tokens; self.file = file }

    private var current: Token { tokens[index] }

    private mutating func parseFile() -> RuleFile {
        var statements: [LocatedStatement] = []
        var diagnostics: [Diagnostic] = []
        while current.kind != .end {
            if current.kind == .newline { index += 1; continue }
            let start = current.location
            do {
                let statement = try parseStatement()
                try expectEndOfStatement()
                statements.append(LocatedStatement(statement: statement, location: start))
            } catch let failure as Failure {
                diagnostics.append(failure.diagnostic)
                while current.kind != .newline && current.kind != .end { index += 1 }
            } catch {}
        }
        return RuleFile(name: file, statements: statements, diagnostics: diagnostics)
    }

    private func fail(_ message: String, at token: Token? = nil) -> Failure {
        Failure(diagnostic: Diagnostic(at: (token ?? current).location, message))
    }

    private func describe(_ kind: TokenKind) -> String {
        switch kind {
        case .word(let w): return "'\(w)'"
        case .string: return "a string"
        case .number: return "a number"
        case .symbol(let c): return "'\(c)'"
        case .gap: return "a gap"
        case .newline: return "end of line"
        case .end: return "end of file"
        }
    }

    private mutating func expectEndOfStatement() throws {
        guard current.kind == .newline || current.kind == .end else {
            throw fail("expected end of line, found \(describe(current.kind))")
        }
    }

    private mutating func word(_ what: String) throws -> Name {
        guard case .word(let w) = current.kind else { throw fail("expected \(what), found \(describe(current.kind))") }
        defer { index += 1 }
        return Name(text: w, location: current.location)
    }

    private mutating func keyword(_ k: String) throws {
        guard case .word(let w) = current.kind, w == k else { throw fail("expected '\(k)', found \(describe(current.kind))") }
        index += 1
    }

    private mutating func symbol(_ c: Character) throws {
        guard current.kind == .symbol(c) else { throw fail("expected '\(c)', found \(describe(current.kind))") }
        index += 1
    }

    private mutating func number(_ what: String) throws -> Double {
        guard case .number(let n) = current.kind else { throw fail("expected \(what), found \(describe(current.kind))") }
        index += 1
        return n
    }

    private mutating func string(_ what: String) throws -> PhraseItem {
        guard case .string(let s) = current.kind else { throw fail("expected \(what), found \(describe(current.kind))") }
        defer { index += 1 }
        if s.trimmingSpaces.isEmpty { throw fail("empty phrase") }
        return PhraseItem(text: s, location: current.location)
    }

    private mutating func phraseList() throws -> [PhraseItem] {
        var items = [try string("a quoted phrase")]
        while current.kind == .symbol(",") {
            index += 1
            items.append(try string("a quoted phrase after ','"))
        }
        return items
    }

    private mutating func parseStatement() throws -> Statement {
        let head = try word("a statement keyword")
        switch head.text {
        case "threshold":
            let name = try word("a threshold name")
            try symbol("=")
            return .threshold(name: name, value: try number("a number"))
        case "lexicon":
            let name = try word("a lexicon name")
            try symbol("=")
            return .lexicon(name: name, phrases: try phraseList())
        case "spelling":
            let name = try word("the correct spelling")
            try symbol("=")
            return .spelling(word: name, variants: try phraseList())
        case "context": return try parseContext()
        case "policy": return try parsePolicy()
        case "rule", "signal": return try parseRule(isSignal: head.text == "signal")
        case "entity":
            let kind = try word("an entity kind")
            let value = try word("an entity value")
            try symbol("=")
            return .entity(kind: kind, value: value, phrases: try phraseList())
        case "template":
            let key = try word("a template key")
            let language = try word("a language code")
            try symbol("=")
            return .template(key: key, language: language, text: try string("the template text").text)
        default:
            throw fail("unknown statement '\(head.text)' (expected threshold, lexicon, spelling, context, policy, rule, signal, entity or template)", at: tokens[index - 1])
        }
    }

    private mutating func parseContext() throws -> Statement {
        let name = try word("a context name")
        let sideName = try word("before, after, around or anywhere")
        guard let side = ContextSide(rawValue: sideName.text) else {
            throw fail("expected before, after, around or anywhere, found '\(sideName.text)'", at: tokens[index - 1])
        }
        var window = 0.0  // `anywhere` has none
        if side != .anywhere {
            let windowToken = current
            window = try number("a window size in words")
            guard window >= 1, window <= 20, window == window.rounded() else {
                throw fail("window must be a whole number of words from 1 to 20", at: windowToken)
            }
        }
        try symbol("=")
        return .context(name: name, side: side, window: Int(window), cues: try phraseList())
    }

    private mutating func parsePolicy() throws -> Statement {
        let intent = try word("an intent")
        try keyword("route")
        let route = try word("a route")
        var queue: Name?
        var priority: Name?
        while case .word(let w) = current.kind, w == "queue" || w == "priority" {
            index += 1
            if w == "queue" { queue = try word("a queue name") } else { priority = try word("a priority") }
        }
        return .policy(intent: intent, route: route, queue: queue, priority: priority)
    }

    private mutating func parseRule(isSignal: Bool) throws -> Statement {
        let id = try word(isSignal ? "a signal id" : "a rule id")
        var intent = Name(text: "", location: id.location)
        var dimension = intent
        if isSignal {
            dimension = try word("complexity or sensitivity")
        } else {
            try keyword("intent")
            intent = try word("an intent")
            try keyword("weight")
        }
        let weight = try number("a weight")
        var unless: [Name] = []
        if case .word("unless") = current.kind {
            index += 1
            unless.append(try word("a context name"))
            while current.kind == .symbol(",") { index += 1; unless.append(try word("a context name")) }
        }
        try symbol(":")
        let pattern = try parsePattern()
        return isSignal
            ? .signal(id: id, dimension: dimension, weight: weight, unless: unless, pattern: pattern)
            : .rule(id: id, intent: intent, weight: weight, unless: unless, pattern: pattern)
    }

    private mutating func parsePattern() throws -> Pattern {
        var parts = [try parseAlternation()]
        while current.kind == .symbol("&") { index += 1; parts.append(try parseAlternation()) }
        return Pattern(parts: parts)
    }

    private mutating func parseAlternation() throws -> Alternation {
        var sequences = [try parseSequence()]
        while current.kind == .symbol("|") { index += 1; sequences.append(try parseSequence()) }
        return Alternation(sequences: sequences)
    }

    private mutating func parseSequence() throws -> [Step] {
        var steps: [Step] = []
        var gap = 0
        while true {
            let token = current
            switch token.kind {
            case .gap(let g):
                if steps.isEmpty || gap > 0 { throw fail("a gap must stand between two terms") }
                gap = g; index += 1; continue
            case .string(let s):
                if s.trimmingSpaces.isEmpty { throw fail("empty phrase") }
                index += 1
                steps.append(Step(term: .phrase(s), gapBefore: gap, location: token.location))
            case .symbol("@"):
                index += 1
                let name = try word("a lexicon name after '@'")
                steps.append(Step(term: .lexicon(name.text), gapBefore: gap, location: token.location))
            default:
                if gap > 0 { throw fail("a gap must stand between two terms") }
                if steps.isEmpty { throw fail("expected a quoted phrase or @lexicon, found \(describe(token.kind))") }
                return steps
            }
            gap = 0
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
