import XCTest
import Foundation
@testable import Prompts

final class PromptLibraryTests: XCTestCase {
    private var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "prompts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
    }

    private func diagnostics(_ body: () throws -> Void) -> [PromptDiagnostic] {
        do { try body() } catch PromptError.invalid(let d) { return d } catch { XCTFail("\(error)") }
        XCTFail("expected diagnostics"); return []
    }

    func testLoadsAndRendersStrictly() throws {
        try write("classify.prompt", "# comment\n[system]\nIntents: {{intents}}\n\n[user]\n{{ channel }}: {{message}}\n")
        try write("notes.txt", "ignored {{nope}}")
        let lib = try PromptLibrary.load(directory: dir)
        let t = try XCTUnwrap(lib.template(named: "classify"))
        XCTAssertEqual(t.placeholders, ["intents", "channel", "message"])
        let msgs = try t.render(values: ["intents": "a, b", "channel": "sms", "message": "hi [NAME]", "extra": "x"])
        XCTAssertEqual(msgs, [PromptMessage(role: "system", content: "Intents: a, b"),
                              PromptMessage(role: "user", content: "sms: hi [NAME]")])
        XCTAssertThrowsError(try t.render(values: ["intents": "a"])) { error in
            XCTAssertEqual(error as? PromptError, .missingValues(template: "classify", names: ["channel", "message"]))
        }
        XCTAssertNil(lib.template(named: "notes"))
    }

    func testVersionIsContentHash() throws {
        let a = try PromptLibrary.parse(files: [("c.prompt", "[user]\n{{message}}\n")])
        let b = try PromptLibrary.parse(files: [("c.prompt", "[user]\n{{message}} \n")])
        let va = try XCTUnwrap(a.template(named: "c")?.version)
        XCTAssertTrue(va.hasPrefix("sha256:"))
        XCTAssertEqual(va.count, 7 + 64)
        XCTAssertNotEqual(va, b.template(named: "c")?.version)
        XCTAssertEqual(va, try PromptLibrary.parse(files: [("c.prompt", "[user]\n{{message}}\n")]).template(named: "c")?.version)
        XCTAssertNotEqual(a.version, b.version)
    }

    func testUnknownPlaceholderIsLoadErrorWithPosition() throws {
        try write("bad.prompt", "[system]\nok {{intents}}\n[user]\nHello {{patient_name}} and {{message}}\n")
        let d = diagnostics { _ = try PromptLibrary.load(directory: dir) }
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.line, 4)
        XCTAssertEqual(d.first?.column, 7)
        XCTAssertEqual(d.first?.code, "P001")
        XCTAssertTrue(d.first!.description.hasPrefix(dir + "/bad.prompt:4:7: error: [P001] unknown placeholder '{{patient_name}}'"),
                      d.first!.description)
    }

    func testAllProblemsOfAllFilesInOnePass() {
        let d = diagnostics {
            _ = try PromptLibrary.parse(files: [
                ("a.prompt", "stray text\n[user]\n{{message\n[assistant]\n"),
                ("b.prompt", "[system]\n{{Bad Name}}\n[system]\n"),
            ])
        }
        XCTAssertEqual(d.map { "\($0.file):\($0.line):\($0.column) \($0.code)" }, [
            "a.prompt:1:1 P006", "a.prompt:3:1 P002", "a.prompt:4:1 P004",
            "b.prompt:2:1 P003", "b.prompt:3:1 P005", "b.prompt:1:1 P007",
        ])
    }

    func testOversizedFileOnDiskIsReported() throws {
        try write("huge.prompt", "[user]\n" + String(repeating: "y", count: PromptParser.maxFileBytes * 3))
        try write("fine.prompt", "[user]\n{{message}}\n")
        let d = diagnostics { _ = try PromptLibrary.load(directory: dir) }
        XCTAssertEqual(d.map(\.code), ["P008"])
        XCTAssertEqual(d.first?.file, dir + "/huge.prompt")
    }

    func testOversizedFileAndMissingDirectory() {
        let big = "[user]\n" + String(repeating: "x", count: PromptParser.maxFileBytes)
        XCTAssertEqual(diagnostics { _ = try PromptLibrary.parse(files: [("big.prompt", big)]) }.first?.code, "P008")
        XCTAssertThrowsError(try PromptLibrary.load(directory: dir + "/missing")) { error in
            guard case PromptError.directory = error else { return XCTFail("\(error)") }
        }
    }

    func testShippedPromptsLoad() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("prompts").path
        let lib = try PromptLibrary.load(directory: repo)
        let t = try XCTUnwrap(lib.template(named: "classify"))
        XCTAssertEqual(t.placeholders, Set(PromptParser.knownPlaceholders.keys))
    }
}
