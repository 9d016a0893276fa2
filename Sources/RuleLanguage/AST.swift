/// The syntax tree of one rule file. Names are checked by the engine, which knows the vocabulary.

/// One term of a pattern: a quoted phrase or a reference to a lexicon (`@name`).
public enum Term: Sendable, Equatable {
    case phrase(String)
    case lexicon(String)
}

/// A term located in its file, with the gap allowed before it (0 = right after the previous term).
public struct Step: Sendable, Equatable {
    public var term: Term
    public var gapBefore: Int
    public var location: SourceLocation
    public init(term: Term, gapBefore: Int, location: SourceLocation) {
        self.term = term; self.gapBefore = gapBefore; self.location = location
    }
}

/// `A .. B | C`: any one of the sequences.
public struct Alternation: Sendable, Equatable {
    public var sequences: [[Step]]
    public init(sequences: [[Step]]) { self.sequences = sequences }
}

/// `X & Y`: every part must match somewhere in the message.
public struct Pattern: Sendable, Equatable {
    public var parts: [Alternation]
    public init(parts: [Alternation]) { self.parts = parts }
}

/// A quoted phrase with its location.
public struct PhraseItem: Sendable, Equatable {
    public var text: String
    public var location: SourceLocation
    public init(text: String, location: SourceLocation) { self.text = text; self.location = location }
}

/// A name with its location.
public struct Name: Sendable, Equatable {
    public var text: String
    public var location: SourceLocation
    public init(text: String, location: SourceLocation) { self.text = text; self.location = location }
}

/// Where a context cue is looked for relative to a match: within a window of words on one
/// side or both, in the same clause; or `anywhere` in the message, any clause.
public enum ContextSide: String, Sendable, Equatable {
    case before, after, around, anywhere
}

/// One statement of a rule file.
public enum Statement: Sendable, Equatable {
    /// `threshold NAME = NUMBER`
    case threshold(name: Name, value: Double)
    /// `lexicon NAME = "a", "b"`
    case lexicon(name: Name, phrases: [PhraseItem])
    /// `spelling WORD = "variant", ...`: variants are rewritten to WORD before matching.
    case spelling(word: Name, variants: [PhraseItem])
    /// `context NAME before|after|around N = "cue", ...` or `context NAME anywhere = "cue", ...`
    /// (the window of `anywhere` is 0: it has none).
    case context(name: Name, side: ContextSide, window: Int, cues: [PhraseItem])
    /// `policy INTENT route ROUTE [queue Q] [priority P]`
    case policy(intent: Name, route: Name, queue: Name?, priority: Name?)
    /// `rule ID intent INTENT weight W [unless C, ...] : PATTERN`
    case rule(id: Name, intent: Name, weight: Double, unless: [Name], pattern: Pattern)
    /// `signal ID complexity|sensitivity W [unless C, ...] : PATTERN`
    case signal(id: Name, dimension: Name, weight: Double, unless: [Name], pattern: Pattern)
    /// `entity KIND VALUE = "phrase", ...`
    case entity(kind: Name, value: Name, phrases: [PhraseItem])
    /// `template KEY LANG = "text"`
    case template(key: Name, language: Name, text: String)
}

/// A statement and where it starts.
public struct LocatedStatement: Sendable, Equatable {
    public var statement: Statement
    public var location: SourceLocation
    public init(statement: Statement, location: SourceLocation) {
        self.statement = statement; self.location = location
    }
}

/// A parsed rule file: its statements and every syntax error found.
public struct RuleFile: Sendable, Equatable {
    public var name: String
    public var statements: [LocatedStatement]
    public var diagnostics: [Diagnostic]
    public init(name: String, statements: [LocatedStatement], diagnostics: [Diagnostic]) {
        self.name = name; self.statements = statements; self.diagnostics = diagnostics
    }
}
