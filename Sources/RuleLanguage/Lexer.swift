/// Splits rule-file text into tokens. Never fails: bad input becomes diagnostics and is skipped.
/// Each loop iteration consumes at least one character, so the lexer always terminates.
public struct Lexer {
    /// Word gaps allowed by `..` and `...` in patterns.
    public static let shortGap = 3
    public static let longGap = 8

    private let chars: [Character]
    private let file: String
    private var index = 0
    private var line = 1
    private var column = 1
    public private(set) var diagnostics: [Diagnostic] = []

    public init(text: String, file: String) {
        self.chars = Array(text)
        self.file = file
    }

    /// All tokens, ending with `.end`. A statement continues onto the next line when its last
    /// token is `,`, `|`, `&`, `:` or `=`, so long phrase lists can be wrapped.
    public mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        while let token = next() {
            if token.kind == .newline {
                if let last = tokens.last, !Self.continues(last.kind) { tokens.append(token) }
                continue
            }
            tokens.append(token)
        }
        tokens.append(Token(kind: .newline, location: here))
        tokens.append(Token(kind: .end, location: here))
        return tokens
    }

    private static func continues(_ kind: TokenKind) -> Bool {
        switch kind {
        case .newline: return true
        case .symbol(let c): return ",|&:=(".contains(c)
        default: return false
        }
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    private mutating func advance() -> Character {
        let c = chars[index]
        index += 1
        if c == "\n" { line += 1; column = 1 } else { column += 1 }
        return c
    }

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < chars.count ? chars[index + offset] : nil
    }

    private mutating func next() -> Token? {
        while let c = peek() {
            let start = here
            if c == "\n" { _ = advance(); return Token(kind: .newline, location: start) }
            if c == " " || c == "\t" || c == "\r" { _ = advance(); continue }
            if c == "#" { while let d = peek(), d != "\n" { _ = advance() }; continue }
            if c == "\"" { return lexString(start) }
            if c == "." && peek(1) == "." {
                _ = advance(); _ = advance()
                if peek() == "." { _ = advance(); return Token(kind: .gap(Self.longGap), location: start) }
                return Token(kind: .gap(Self.shortGap), location: start)
            }
            if c.isNumber || (c == "-" && (peek(1)?.isNumber ?? false)) { return lexNumber(start) }
            if Self.isWordChar(c) { return lexWord(start) }
            if "=:,|&@()".contains(c) { _ = advance(); return Token(kind: .symbol(c), location: start) }
            _ = advance()
            diagnostics.append(Diagnostic(at: start, "unexpected character '\(c)'"))
        }
        return nil
    }

    static func isWordChar(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "." || c == "-"
    }

    private mutating func lexWord(_ start: SourceLocation) -> Token {
        var text = ""
        while let c = peek(), Self.isWordChar(c) {
            if c == "." && peek(1) == "." { break }
            text.append(advance())
        }
        return Token(kind: .word(text), location: start)
    }

    private mutating func lexNumber(_ start: SourceLocation) -> Token {
        var text = String(advance())
        while let c = peek(), c.isNumber || c == "." || c.isLetter || c == "_" {
            if c == "." && peek(1) == "." { break }
            text.append(advance())
        }
        if let value = Double(text) { return Token(kind: .number(value), location: start) }
        diagnostics.append(Diagnostic(at: start, "malformed number '\(text)'"))
        return Token(kind: .number(0), location: start)
    }

    private mutating func lexString(_ start: SourceLocation) -> Token {
        _ = advance()
        var text = ""
        while let c = peek() {
            if c == "\n" { break }
            _ = advance()
            if c == "\"" { return Token(kind: .string(text), location: start) }
            if c == "\\", let e = peek(), e != "\n" {
                _ = advance()
                switch e {
                case "n": text.append("\n")
                case "\"", "\\": text.append(e)
                default: diagnostics.append(Diagnostic(at: start, "unknown escape '\\\(e)' in string"))
                }
                continue
            }
            text.append(c)
        }
        diagnostics.append(Diagnostic(at: start, "unterminated string"))
        return Token(kind: .string(text), location: start)
    }
}
