import XCTest
@testable import RuleLanguage

final class LexerTests: XCTestCase {
    private func kinds(_ text: String) -> [TokenKind] {
        var lexer = Lexer(text: text, file: "t.rules")
        return lexer.tokenize().map(\.kind)
    }

    func testWordsNumbersStringsSymbolsAndGaps() {
        XCTAssertEqual(kinds(#"rule a.b-c intent x weight 2.5 : "chest pain" .. @lex ... "x" | "y" & "z""#), [
            .word("rule"), .word("a.b-c"), .word("intent"), .word("x"), .word("weight"), .number(2.5), .symbol(":"),
            .string("chest pain"), .gap(Lexer.shortGap), .symbol("@"), .word("lex"), .gap(Lexer.longGap), .string("x"),
            .symbol("|"), .string("y"), .symbol("&"), .string("z"), .newline, .end,
        ])
    }

    func testCommentsAndBlankLinesVanish() {
        XCTAssertEqual(kinds("# only a comment\n\n   \nthreshold a = 1 # trailing\n"),
                       [.word("threshold"), .word("a"), .symbol("="), .number(1), .newline, .newline, .end])
    }

    func testStatementContinuesAfterTrailingCommaBarOrColon() {
        let k = kinds("lexicon x = \"a\",\n    \"b\"\nrule r intent i weight 1 :\n  \"c\" |\n  \"d\"\n")
        XCTAssertEqual(k.filter { $0 == .newline }.count, 3, "two statements plus the final newline")
    }

    func testStringEscapes() {
        XCTAssertEqual(kinds(#""say \"hi\"\n\\""#).first, .string("say \"hi\"\n\\"))
    }

    func testErrorsHavePositions() {
        var lexer = Lexer(text: "threshold a = 1\n  $ \"open", file: "f.rules")
        _ = lexer.tokenize()
        XCTAssertEqual(lexer.diagnostics.map(\.description), [
            "f.rules:2:3: unexpected character '$'",
            "f.rules:2:5: unterminated string",
        ])
    }

    func testColumnsCountCharactersNotBytes() {
        var lexer = Lexer(text: "lexicon x = \"mañana\" $", file: "f.rules")
        _ = lexer.tokenize()
        XCTAssertEqual(lexer.diagnostics.first?.column, 22)
    }
}
