import Foundation
import IntakeCore
import RuleEngine
import RuleLanguage
import Service

/// `rules check`, `classify` and `eval`: offline, on a rule directory.
enum RulesCommands {
    static let defaultRules = "./rules"

    /// Loads rules or fails with every diagnostic on stderr.
    static func load(_ directory: String) throws -> RuleSet {
        switch RuleLoader.load(directory: directory) {
        case .success(let rules): return rules
        case .failure(let e):
            throw CommandError(message: "rules in \(directory) do not load:\n" + e.diagnostics.map(\.description).joined(separator: "\n"))
        }
    }

    static func check(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args)
        guard a.positional.count <= 1 else { throw UsageError(message: "too many arguments") }
        switch RuleLoader.load(directory: a.positional.first ?? defaultRules) {
        case .success(let rules):
            print("ok: \(rules.files.count) files, \(rules.ruleCount) rules, \(rules.version)")
            return .ok
        case .failure(let e):
            for d in e.diagnostics { print(d.description) }
            return .failed
        }
    }

    static func classify(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--rules", "--sent-at", "--tz"])
        guard a.positional.count == 1 else { throw UsageError(message: "expected one TEXT argument") }
        var sentAt = Date()
        if let s = a.values["--sent-at"] {
            guard let d = RFC3339.parse(s) else { throw UsageError(message: "--sent-at is not RFC 3339") }
            sentAt = d
        }
        let zoneName = a.values["--tz"] ?? "America/New_York"
        guard let zone = TimeZone(identifier: zoneName) else { throw UsageError(message: "unknown time zone '\(zoneName)'") }
        let rules = try load(a.values["--rules"] ?? defaultRules)
        print(try json(IngestService.offlineDecision(a.positional[0], ruleSet: rules, sentAt: sentAt, timeZone: zone)))
        return .ok
    }

    static func eval(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--rules"], boolean: ["--json", "--misses"])
        guard a.positional.count == 1 else { throw UsageError(message: "expected one CORPUS.jsonl argument") }
        let rules = try load(a.values["--rules"] ?? defaultRules)
        let cases = try readCorpus(a.positional[0])
        let (m, misses) = Evaluation.run(rules, cases: cases)
        if a.switches.contains("--json") {
            print(try json(m))
        } else {
            print(table(m))
        }
        if a.switches.contains("--misses") {
            for miss in misses {
                let expected = miss.expected_routes.map(\.rawValue).joined(separator: "|")
                print("MISS \(miss.id) expected \(expected)/\(miss.expected_intent?.rawValue ?? "-") got \(miss.route.rawValue)/\(miss.intent.rawValue) (\(miss.confidence)): \(miss.text)")
            }
        }
        return .ok
    }

    static func readCorpus(_ path: String) throws -> [CorpusCase] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError(message: "cannot read \(path)") }
        switch CorpusCase.parseCorpus(String(decoding: data, as: UTF8.self)) {
        case .success(let cases): return cases
        case .failure(let e): throw CommandError(message: "\(path): \(e)")
        }
    }

    static func table(_ m: EvaluationMetrics) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines = [
            "cases              \(m.cases)",
            "intent_accuracy    \(f(m.intent_accuracy))",
            "emergency_recall   \(f(m.emergency_recall))",
            "unsafe_automation  \(f(m.unsafe_automation))",
            "automation_rate    \(f(m.automation_rate))",
            "false_emergency    \(f(m.false_emergency))",
            "",
            "confusion (expected -> routed)   automate    human  emergency",
        ]
        for label in m.confusion.keys.sorted() {
            let row = m.confusion[label]!
            let cells = ["automate", "human", "emergency"].map { String(format: "%9d", row[$0] ?? 0) }.joined()
            lines.append(label.padding(toLength: 31, withPad: " ", startingAt: 0) + cells)
        }
        return lines.joined(separator: "\n")
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
