import XCTest
@testable import RuleLanguage

final class ParserTests: XCTestCase {
    func testParsesEveryStatementKind() {
        let text = """
        threshold automate.min_confidence = 0.70
        lexicon face = "face", "cara"
        spelling appointment = "appt", "apointment"
        context negated before 4 = "no", "not"
        context school anywhere = "homework", "essay"
        policy billing route human queue billing priority normal
        rule chest intent emergency weight 4 unless negated, past : "chest pain" | @face .. "droopy" & "now"
        signal chemo complexity 0.6 : "chemo"
        entity service dermatology = "skin doc"
        template reply.greeting en = "Hello!"
        """
        let file = Parser.parse(text: text, file: "all.rules")
        XCTAssertEqual(file.diagnostics, [])
        XCTAssertEqual(file.statements.count, 10)
        XCTAssertEqual(file.statements[6].location, SourceLocation(file: "all.rules", line: 7, column: 1))
        guard case .rule(let id, let intent, let weight, let unless, let pattern) = file.statements[6].statement else {
            return XCTFail("expected a rule")
        }
        XCTAssertEqual(id.text, "chest")
        XCTAssertEqual(intent.text, "emergency")
        XCTAssertEqual(weight, 4)
        XCTAssertEqual(unless.map(\.text), ["negated", "past"])
        XCTAssertEqual(pattern.parts.count, 2, "& splits the pattern into parts")
        XCTAssertEqual(pattern.parts[0].sequences.count, 2)
        XCTAssertEqual(pattern.parts[0].sequences[1].map(\.term), [.lexicon("face"), .phrase("droopy")])
        XCTAssertEqual(pattern.parts[0].sequences[1][1].gapBefore, Lexer.shortGap)
        guard case .context(_, let side, let window, let cues) = file.statements[3].statement else { return XCTFail() }
        XCTAssertEqual(side, .before)
        XCTAssertEqual(window, 4)
        XCTAssertEqual(cues.map(\.text), ["no", "not"])
        guard case .context(_, .anywhere, 0, let schoolCues) = file.statements[4].statement else { return XCTFail("anywhere context") }
        XCTAssertEqual(schoolCues.map(\.text), ["homework", "essay"])
        guard case .policy(_, let route, let queue, let priority) = file.statements[5].statement else { return XCTFail() }
        XCTAssertEqual([route.text, queue?.text, priority?.text], ["human", "billing", "normal"])
    }

    func testRecoversAndReportsEveryErrorInOrder() {
        let text = """
        threshold a 0.5
        rule r intent billing weight : "x"
        good_statement_missing
        rule s intent billing weight 1 : .. "x"
        context c sideways 3 = "x"
        context d before 40 = "x"
        lexicon e = "a" "b"
        lexicon f = ""
        threshold ok = 1
        """
        let file = Parser.parse(text: text, file: "bad.rules")
        XCTAssertEqual(file.diagnostics.map(\.description), [
            "bad.rules:1:13: expected '=', found a number",
            "bad.rules:2:30: expected a weight, found ':'",
            "bad.rules:3:1: unknown statement 'good_statement_missing' (expected threshold, lexicon, spelling, context, policy, rule, signal, entity or template)",
            "bad.rules:4:34: a gap must stand between two terms",
            "bad.rules:5:11: expected before, after, around or anywhere, found 'sideways'",
            "bad.rules:6:18: window must be a whole number of words from 1 to 20",
            "bad.rules:7:17: expected end of line, found a string",
            "bad.rules:8:13: empty phrase",
        ])
        XCTAssertEqual(file.statements.count, 1, "only the valid threshold survives")
    }

    func testPatternMustEndWithATerm() {
        let file = Parser.parse(text: "rule r intent x weight 1 : \"a\" ..\n", file: "g.rules")
        XCTAssertEqual(file.diagnostics.map(\.description), ["g.rules:1:34: a gap must stand between two terms"])
    }

    /// Fuzz-style check: arbitrary input never hangs or crashes, and every error has a location in the text.
    func testArbitraryInputTerminates() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("rule intent weight : | & .. ... @ \" = , \n#abc 1.5 threshold lexicon context before ñ$")
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0..<120, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let file = Parser.parse(text: text, file: "fuzz.rules")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for d in file.diagnostics { XCTAssertLessThanOrEqual(d.line, lines + 1) }
        }
    }
}
