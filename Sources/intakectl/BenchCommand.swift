import Foundation
import IntakeCore
import RuleEngine

/// `bench-classify`: classification time per message over a corpus, with the rules as they are
/// and with N-times as many synthetic rules (phrases that never match, like an operator's long tail).
enum BenchCommand {
    static func run(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--rules", "--corpus", "--scale"])
        guard a.positional.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positional[0])'") }
        let directory = a.values["--rules"] ?? RulesCommands.defaultRules
        guard let scale = Int(a.values["--scale"] ?? "1"), scale >= 1, scale <= 1000 else {
            throw UsageError(message: "--scale must be a whole number from 1 to 1000")
        }
        let corpus = a.values["--corpus"] ?? "../shared/corpus/dev.jsonl"
        let texts = try RulesCommands.readCorpus(corpus).map(\.text)
        guard !texts.isEmpty else { throw CommandError(message: "empty corpus") }
        let base = try RulesCommands.load(directory)
        var rules = base
        if scale > 1 {
            var sources = try readSources(directory)
            sources.append(("zz-synthetic.rules", SyntheticRules.text(copies: scale - 1, perCopy: base.ruleCount)))
            switch RuleSet.compile(sources: sources) {
            case .success(let r): rules = r
            case .failure(let e): throw CommandError(message: e.diagnostics.map(\.description).joined(separator: "\n"))
            }
        }
        let (median, p99) = measure(rules, texts)
        print("rules \(rules.ruleCount) (scale \(scale)x): median \(String(format: "%.1f", median)) us, p99 \(String(format: "%.1f", p99)) us per message over \(texts.count) messages")
        return .ok
    }

    static func readSources(_ directory: String) throws -> [(name: String, text: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".rules") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (name, String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// Median and p99 in microseconds, after one warm-up pass, over 5 passes.
    static func measure(_ rules: RuleSet, _ texts: [String]) -> (Double, Double) {
        let zone = TimeZone(identifier: "America/New_York")!
        let now = Date()
        for t in texts { _ = rules.classify(t, sentAt: now, timeZone: zone) }
        var samples: [Double] = []
        for _ in 0..<5 {
            for t in texts {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = rules.classify(t, sentAt: now, timeZone: zone)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
            }
        }
        samples.sort()
        return (samples[samples.count / 2], samples[min(samples.count - 1, samples.count * 99 / 100)])
    }
}

/// Synthetic rules for scaling benchmarks: distinct made-up words, so they grow the trie and the
/// rule table without changing any decision.
enum SyntheticRules {
    static func text(copies: Int, perCopy: Int) -> String {
        var out = "# synthetic rules for benchmarking only\n"
        let intents = ["book_appointment", "billing", "clinical_question", "general_info", "insurance"]
        for c in 0..<copies {
            for r in 0..<perCopy {
                let w = "zq\(c)x\(r)"
                out += "rule syn_\(c)_\(r) intent \(intents[r % intents.count]) weight 1 : \"\(w) alpha\" | \"\(w)b\" .. \"\(w)c\"\n"
            }
        }
        return out
    }
}
