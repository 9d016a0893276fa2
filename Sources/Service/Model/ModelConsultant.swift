import Foundation
import IntakeCore
import ModelClient
import Redaction
import RuleEngine

/// Consults the model endpoint before a message's decision is written, within the safety floor.
///
/// The rules' thresholds (`model.consult_below`, `ambiguity.margin`) decide whether to call;
/// rules emergencies and crises are never sent. Only the redacted text and labels leave the
/// process: the request's patient fields serve only to find identifiers in the text. The
/// completion runs exactly once, at the latest `timeout_ms` plus `deadlineMargin` after the
/// call, with the rules' classification whenever the model gave no usable answer.
public final class ModelConsultant: IngestConsultant {
    /// Slack past `timeout_ms` for the client's own deadline to fire before ours does.
    static let deadlineMargin = 150

    let runtime: ModelRuntime
    let metrics: Metrics
    let log: Log

    public init(runtime: ModelRuntime, metrics: Metrics, log: Log) {
        self.runtime = runtime; self.metrics = metrics; self.log = log
        metrics.gauge("intake_model_breaker_state") { [runtime] in
            switch runtime.snapshot.client.breakerState {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
        metrics.gauge("intake_model_calls_in_flight") { [runtime] in Double(runtime.snapshot.client.callsInFlight) }
    }

    public func review(_ message: InboundMessage, _ rules: Classification, ruleSet: RuleSet,
                       completion: @escaping @Sendable (Classification, ModelUse) -> Void) {
        let thresholds = ModelThresholds(thresholds: ruleSet.thresholds)
        let mode = runtime.settings.mode
        guard let why = ConsultPolicy(thresholds: thresholds, mode: mode).consult(rules) else {
            return completion(rules, ModelUse())
        }
        let snapshot = runtime.snapshot
        let input = ClassifyInput(text: message.text, known: KnownIdentifiers(patient: message.patient),
                                  channel: message.channel, language: message.patient?.language ?? rules.entities.language,
                                  rules: rules)
        let once = Once { [metrics, log] (result: ModelResult) in
            var verdict = SafetyFloor.combine(rules: rules, model: result, mode: mode, thresholds: thresholds)
            if mode == .on {
                verdict.classification = ModelRouting.explain(verdict.classification, rules: rules, result: result,
                                                              why: why, thresholds: thresholds, ruleSet: ruleSet)
            }
            let outcome = verdict.model.outcome ?? "failed"
            metrics.increment("intake_model_calls_total{outcome=\"\(outcome)\"}")
            if let reason = result.reason {
                metrics.increment("intake_model_failures_total{reason=\"\(reason)\"}")
                // Codes only: never the message, the prompt or the model's words.
                log(.warning, "model_failed", [("conversation_id", message.conversationID), ("reason", reason)])
            }
            completion(verdict.classification, verdict.model)
        }
        // Our own deadline backs the client's: the decision never waits past it.
        let limit = runtime.settings.timeoutMs + Self.deadlineMargin
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(limit)) {
            once.fire(ModelResult(outcome: .failed("timeout"), model: snapshot.client.config.model,
                                  promptVersion: snapshot.prompt.version, latencyMs: limit))
        }
        snapshot.client.classify(input: input, prompt: snapshot.prompt) { once.fire($0) }
    }
}

/// Runs a handler for the first value only; later ones are dropped.
final class Once<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `handler` is guarded by `lock` and taken out exactly once.
    private let lock = NSLock()
    private var handler: (@Sendable (Value) -> Void)?

    init(_ handler: @escaping @Sendable (Value) -> Void) { self.handler = handler }

    func fire(_ value: Value) {
        guard let run = lock.withLock({ () -> (@Sendable (Value) -> Void)? in
            defer { handler = nil }
            return handler
        }) else { return }
        run(value)
    }
}
