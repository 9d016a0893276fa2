import IntakeCore
import ModelClient
import RuleEngine

/// What the decision says about a consultation, and where a route the model raised goes.
/// Pure.
enum ModelRouting {
    /// Where a raised decision goes when the routing policy names no queue for its intent.
    static let fallbackQueue = "front_desk"

    /// Adds to the floor's classification why the model was asked and, when the call gave no
    /// answer, why not; and gives a route the model raised the queue of the routing policy.
    static func explain(_ c: Classification, rules: Classification, result: ModelResult, why: ConsultPolicy.Reason,
                        thresholds: ModelThresholds, ruleSet: RuleSet) -> Classification {
        var out = c
        let limit = why == .lowConfidence ? thresholds.consultBelow : thresholds.ambiguityMargin
        out.reasons.append(Reason(code: "model.consulted", rule: nil,
                                  detail: why == .lowConfidence ? "rules' confidence below model.consult_below"
                                                                : "top two intents closer than ambiguity.margin",
                                  value: limit))
        if let reason = result.reason {
            out.reasons.append(Reason(code: "model.failed", detail: "no usable answer (\(reason)); the rules decide"))
        }
        return routeRaised(out, rules: rules, ruleSet: ruleSet)
    }

    /// A route the model raised, or a human route without a queue, takes the queue of the
    /// routing policy of the decision's intent (an emergency raised by the model goes to the
    /// emergency queue, not to the queue of what the rules thought it was).
    static func routeRaised(_ c: Classification, rules: Classification, ruleSet: RuleSet) -> Classification {
        guard c.route != .automate, c.route != rules.route || c.queue == nil else { return c }
        var out = c
        let policy = ruleSet.routing(for: c.intent)
        let emergencyIntent = SafetyFloor.isEmergency(c.intent)
        let queue = policy?.queue ?? (emergencyIntent ? c.intent.rawValue : fallbackQueue)
        out.queue = queue
        out.priority = out.priority ?? policy?.priority ?? .normal
        let source = policy?.queue != nil ? "the routing policy of \(c.intent.rawValue)" : "the default for a raised route"
        out.reasons.append(Reason(code: "model.queue", rule: policy.flatMap { $0.citation.isEmpty ? nil : $0.citation },
                                  detail: "queue \(queue) from \(source)"))
        return out
    }
}
