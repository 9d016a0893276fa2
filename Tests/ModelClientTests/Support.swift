import Foundation
import IntakeCore
import XCTest
@testable import ModelClient

/// A clock tests move by hand.
final class ManualClock: Clock, @unchecked Sendable {
    // @unchecked: `current` is guarded by `lock`.
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    func now() -> Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}

/// Collects results delivered on other threads.
final class ResultBox: @unchecked Sendable {
    // @unchecked: `results` is guarded by `lock`.
    private let lock = NSLock()
    private var results: [ModelResult] = []
    func add(_ r: ModelResult) { lock.withLock { results.append(r) } }
    var all: [ModelResult] { lock.withLock { results } }
}

extension XCTestCase {
    /// Calls `classify` and waits for its one completion, returning it and the seconds taken.
    func call(_ client: ModelClient, _ input: ClassifyInput, _ prompt: PromptTemplate,
              timeout: Double = 5) -> (ModelResult, Double) {
        let done = expectation(description: "completion")
        let box = ResultBox()
        let start = Date()
        client.classify(input: input, prompt: prompt) { r in box.add(r); done.fulfill() }
        wait(for: [done], timeout: timeout)
        return (box.all.first ?? ModelResult(outcome: .failed("no completion"), model: "", promptVersion: "", latencyMs: 0),
                Date().timeIntervalSince(start))
    }
}

import Prompts

enum Fixtures {
    static let prompt: PromptTemplate = {
        let lib = try! PromptLibrary.parse(files: [("classify.prompt", """
            [system]
            Pick one of: {{intents}}. Answer JSON.
            [user]
            {{channel}} ({{language}}), rules said {{rules_intent}} {{rules_confidence}} / {{runner_up}}:
            {{message}}
            """)])
        return lib.template(named: "classify")!
    }()

    static func rules(_ intent: Intent = .book_appointment, confidence: Double = 0.6, route: Route = .automate,
                      runnerUp: ScoredIntent? = nil) -> Classification {
        Classification(intent: intent, confidence: confidence, runnerUp: runnerUp, route: route, rulesVersion: "sha256:r")
    }
}
