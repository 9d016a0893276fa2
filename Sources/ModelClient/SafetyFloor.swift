import IntakeCore

/// The classification a decision uses after the model had its say, and what to record.
public struct Verdict: Sendable, Equatable {
    /// The classification the decision uses: the rules' own, or raised by the model.
    public var classification: Classification
    /// Goes into the decision's `model` field.
    public var model: ModelUse

    public init(classification: Classification, model: ModelUse) {
        self.classification = classification; self.model = model
    }
}

/// Combines the rules' classification with a model answer so that the model can only make a
/// decision more careful. Pure.
///
/// The model may raise urgency (automate → human, anything → emergency) or relabel the intent
/// of a message that already goes to a human because the rules were unsure. It may never lower
/// an emergency, override an emergency or crisis found by rules, or automate anything: a
/// message the rules' thresholds send to a human stays with a human.
///
/// Outcomes recorded in `ModelUse.outcome`: `used` (the answer shaped or confirmed the
/// decision), `ignored` (valid but below `minModelConfidence`, so nothing changed),
/// `overruled` (the answer would have lowered urgency; the rules stand), `shadow` (shadow mode,
/// answer recorded only), `failed` (no valid answer: error, timeout, skipped).
public enum SafetyFloor {
    /// Emergency-class intents: the rules' finding of these is final.
    public static func isEmergency(_ intent: Intent) -> Bool { intent == .emergency || intent == .crisis }

    /// Combines `rules` and `model` under `mode`. With mode `off` the rules are returned as is.
    public static func combine(rules: Classification, model: ModelResult, mode: ModelMode,
                               thresholds: ModelThresholds = ModelThresholds()) -> Verdict {
        var use = ModelUse(used: false, name: model.model, prompt_version: model.promptVersion,
                           latency_ms: model.latencyMs, outcome: nil)
        switch mode {
        case .off: return Verdict(classification: rules, model: ModelUse())
        case .shadow:
            use.outcome = model.answer == nil ? "failed" : "shadow"
            return Verdict(classification: rules, model: use)
        case .on: break
        }
        guard let answer = model.answer else {
            use.outcome = "failed"
            return Verdict(classification: rules, model: use)
        }
        let (classification, outcome) = apply(answer, to: rules, thresholds: thresholds)
        use.outcome = outcome
        use.used = outcome == "used"
        return Verdict(classification: classification, model: use)
    }

    static func apply(_ answer: ModelAnswer, to rules: Classification,
                      thresholds: ModelThresholds) -> (Classification, String) {
        let rulesEmergency = rules.route == .emergency || isEmergency(rules.intent)
        if rulesEmergency {
            return (rules, answer.intent == rules.intent ? "used" : "overruled")
        }
        if answer.intent == rules.intent {
            return (with(rules, reason: "model.agrees", answer), "used")
        }
        if isEmergency(answer.intent) {
            // Raising is always allowed; a confident model raises to emergency, an unsure one
            // still gets a human to look at it urgently.
            var c = with(rules, reason: "model.raised_urgency", answer)
            c.intent = answer.intent
            c.confidence = answer.confidence
            c.priority = .urgent
            c.route = answer.confidence >= thresholds.minModelConfidence ? .emergency : .human
            return (c, "used")
        }
        guard answer.confidence >= thresholds.minModelConfidence else { return (rules, "ignored") }
        switch rules.route {
        case .automate:
            // The model disagrees with an automated decision: a human decides instead.
            var c = with(rules, reason: "model.disagrees", answer)
            c.route = .human
            c.priority = c.priority ?? .normal
            return (c, "used")
        case .human where rules.confidence < thresholds.consultBelow:
            // Unsure rules, confident model: a better label for staff; the route stays human.
            var c = with(rules, reason: "model.relabeled", answer)
            c.runnerUp = ScoredIntent(intent: rules.intent, confidence: rules.confidence)
            c.intent = answer.intent
            c.confidence = answer.confidence
            return (c, "used")
        default:
            return (rules, "overruled")
        }
    }

    private static func with(_ c: Classification, reason code: String, _ answer: ModelAnswer) -> Classification {
        var out = c
        out.reasons.append(Reason(code: code, rule: nil, detail: "model: \(answer.intent.rawValue); \(answer.rationale)",
                                  value: answer.confidence))
        return out
    }
}
