/// The kinds of tokens of the rule language.
public enum TokenKind: Sendable, Equatable {
    /// Names and keywords: letters, digits, `_`, `.`, `-` (e.g. `automate.min_confidence`).
    case word(String)
    /// A double-quoted string with `\"`, `\\` and `\n` escapes.
    case string(String)
    case number(Double)
    /// One of `= : , | & @ ( )`.
    case symbol(Character)
    /// `..` (a short gap) or `...` (a long gap) inside a pattern.
    case gap(Int)
    /// The end of a statement.
    case newline
    case end
}

/// A token with the location of its first character.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var location: SourceLocation

    public init(kind: TokenKind, location: SourceLocation) {
        self.kind = kind; self.location = location
    }
}
