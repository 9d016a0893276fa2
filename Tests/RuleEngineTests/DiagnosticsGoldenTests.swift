import Foundation
import XCTest
import RuleLanguage
@testable import RuleEngine

/// Several broken files at once: every error, from every file, sorted, in `FILE:LINE:COLUMN: message` form.
final class DiagnosticsGoldenTests: XCTestCase {
    static let broken: [(name: String, text: String)] = [
        ("a.rules", """
        threshold automate.min_confidence = 0.70
        threshold automate.min_confidence = 0.8
        rule a intent bogus weight 1 : "x"
        rule b intent billing weight 1 : @nolex
        """),
        ("b.rules", """
        lexicon x = "a" "b"
        rule c intent billing weight 1 unless nope : "bill"
        policy billing route sideways
        frobnicate 3
        template reply.x en = "unterminated
        """),
        ("c.rules", """
        signal s loudness 0.5 : "x"
        rule d intent billing weight 1 : "a" .. | "b"
        threshold automate.max_complexity = 1.5
        rule b intent billing weight 0 : "dup"
        entity colour red = "red"
        policy billing route human priority sometimes
        """),
    ]

    static let golden = """
    a.rules:2:11: threshold 'automate.min_confidence' is already defined at a.rules:1
    a.rules:3:15: unknown intent 'bogus'
    a.rules:4:34: unknown lexicon '@nolex'
    b.rules:1:17: expected end of line, found a string
    b.rules:2:39: unknown context 'nope'
    b.rules:3:22: unknown route 'sideways' (expected automate, human or emergency)
    b.rules:4:1: unknown statement 'frobnicate' (expected threshold, lexicon, spelling, context, policy, rule, signal, entity or template)
    b.rules:5:23: unterminated string
    c.rules:1:10: expected complexity or sensitivity, found 'loudness'
    c.rules:2:41: a gap must stand between two terms
    c.rules:3:11: threshold 'automate.max_complexity' must be between 0 and 1
    c.rules:4:6: rule 'b' is already defined at a.rules:4
    c.rules:5:8: unknown entity kind 'colour' (expected language, location, new_patient, provider, service, visit_for)
    c.rules:6:37: unknown priority 'sometimes' (expected urgent, high or normal)
    """

    func testAllErrorsFromAllFilesAtOnce() {
        guard case .failure(let error) = RuleSet.compile(sources: Self.broken) else { return XCTFail("must not load") }
        XCTAssertEqual(error.diagnostics.map(\.description).joined(separator: "\n"), Self.golden)
    }

    func testLoaderReadsADirectoryAllOrNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in Self.broken { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try "not rules".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        guard case .failure(let error) = RuleLoader.load(directory: dir.path) else { return XCTFail("must not load") }
        XCTAssertEqual(error.diagnostics.map(\.description).joined(separator: "\n"), Self.golden)
        XCTAssertEqual(Array(error).count, error.diagnostics.count)

        for (name, _) in Self.broken { try FileManager.default.removeItem(at: dir.appendingPathComponent(name)) }
        try "threshold automate.min_confidence = 0.7\nrule r intent billing weight 2 : \"bill\"\n"
            .write(to: dir.appendingPathComponent("ok.rules"), atomically: true, encoding: .utf8)
        guard case .success(let rules) = RuleLoader.load(directory: dir.path) else { return XCTFail("must load") }
        XCTAssertEqual(rules.files.map(\.file), ["ok.rules"])
        XCTAssertEqual(rules.files.first?.rules, 1)
        XCTAssertEqual(rules.ruleCount, 1)
        XCTAssertEqual(rules.threshold("automate.min_confidence"), 0.7)
    }

    func testMissingDirectoryIsAnError() {
        guard case .failure(let error) = RuleLoader.load(directory: "/nonexistent/rules") else { return XCTFail() }
        XCTAssertEqual(error.diagnostics.count, 1)
    }

    func testVersionHashesNamesAndContents() throws {
        let a = try RuleSet.compile(sources: [("x.rules", "threshold t = 1\n")]).get()
        let b = try RuleSet.compile(sources: [("x.rules", "threshold t = 1\n")]).get()
        let c = try RuleSet.compile(sources: [("x.rules", "threshold t = 2\n")]).get()
        let d = try RuleSet.compile(sources: [("y.rules", "threshold t = 1\n")]).get()
        XCTAssertEqual(a.version, b.version)
        XCTAssertTrue(a.version.hasPrefix("sha256:"))
        XCTAssertEqual(a.version.count, 7 + 64)
        XCTAssertNotEqual(a.version, c.version)
        XCTAssertNotEqual(a.version, d.version)
    }
}
