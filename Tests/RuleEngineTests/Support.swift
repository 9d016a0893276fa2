import Foundation
import XCTest
import IntakeCore
@testable import RuleEngine

/// Locates files of the repository from this source file, following symlinks (scratch packages).
enum Repo {
    static var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    static var rulesDir: String { root.appendingPathComponent("rules").path }
    static var corpus: String { root.appendingPathComponent("../shared/corpus/dev.jsonl").standardized.path }
    static var phrasings: String {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/phrasings.jsonl").path
    }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    /// The committed starter rules, loaded once.
    static let starter: RuleSet = {
        switch RuleLoader.load(directory: rulesDir) {
        case .success(let r): return r
        case .failure(let e): fatalError("starter rules do not load: \(e.diagnostics.map(\.description))")
        }
    }()
}

/// Monday 2 March 2026, 09:00 in New York: the reference for relative dates in tests.
let newYork = TimeZone(identifier: "America/New_York")!
let mondayMorning = RFC3339.parse("2026-03-02T09:00:00-05:00")!

func classify(_ text: String) -> Classification {
    Repo.starter.classify(text, sentAt: mondayMorning, timeZone: newYork)
}
