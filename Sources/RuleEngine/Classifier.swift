import Foundation
import IntakeCore

/// Scores intents, complexity and sensitivity, and applies the routing policy.
/// Confidence: with S1 and S2 the top two intent scores, `1 - e^(-(S1 - d*S2)/scale)`
/// (d = `confidence.runner_up_discount`): more evidence raises it, a strong runner-up lowers it.
struct Classifier {
    let rules: CompiledRules
    let version: String

    /// The evidence for one intent: the sum of its fired rules' weights and the strongest weight.
    private struct IntentScore {
        var intent: Intent
        var total: Double
        var strongest: Double
    }

    func classify(_ text: String, sentAt: Date, timeZone: TimeZone) -> Classification {
        let tokens = rules.normalizer.tokens(text)
        let matcher = Matcher(rules: rules, tokens: tokens)
        let fired = matcher.fired()
        var reasons: [Reason] = []
        // A handful of intents at most: a linear search beats hashing the intent's name.
        var scores: [IntentScore] = []
        var complexityMiss = 1.0, sensitivityMiss = 1.0
        for f in fired {
            let rule = rules.rules[f.rule]
            switch rule.effect {
            case .intent(let intent):
                if let i = scores.firstIndex(where: { $0.intent == intent }) {
                    scores[i].total += rule.weight
                    scores[i].strongest = max(scores[i].strongest, rule.weight)
                } else {
                    scores.append(IntentScore(intent: intent, total: rule.weight, strongest: rule.weight))
                }
            case .complexity:
                complexityMiss *= 1 - min(rule.weight, 1)
            case .sensitivity:
                sensitivityMiss *= 1 - min(rule.weight, 1)
            }
            reasons.append(Reason(code: rule.reasonCode, rule: rule.citation,
                                  detail: rule.detailLead + f.matched + "'", value: rule.weight))
        }
        let multi = multipleRequests(scores)
        if let weight = multi {
            complexityMiss *= 1 - min(weight, 1)
            reasons.append(Reason(code: "complexity.multiple_requests", rule: rules.thresholdCitations["complexity.multiple_requests"],
                                  detail: "several requests in one message", value: weight))
        }
        let entities = EntityExtractor(rules: rules, matcher: matcher).extract(sentAt: sentAt, timeZone: timeZone)
        if entities.visit_for == "multiple", let weight = rules.thresholds["complexity.several_people"] {
            complexityMiss *= 1 - min(weight, 1)
            reasons.append(Reason(code: "complexity.several_people", rule: rules.thresholdCitations["complexity.several_people"],
                                  detail: "the visit is for several people", value: weight))
        }
        return decide(scores: scores, complexity: 1 - complexityMiss, sensitivity: 1 - sensitivityMiss,
                      entities: entities, reasons: reasons)
    }

    /// The weight of the multiple-requests signal when two or more request intents each have a
    /// rule at least `complexity.multiple_requests_min_score` strong (a request, not a mention).
    private func multipleRequests(_ scores: [IntentScore]) -> Double? {
        guard let weight = rules.tuning.multipleRequests else { return nil }
        let floor = rules.tuning.multipleRequestsMinScore
        let strong = scores.filter { isRequest($0.intent) && $0.strongest >= floor }
        return strong.count >= 2 ? weight : nil
    }

    /// Whether an intent asks the clinic to do something (greetings, complaints, emergencies and
    /// the like do not count towards multiple requests).
    private func isRequest(_ intent: Intent) -> Bool {
        switch intent {
        case .greeting, .other, .emergency, .crisis, .human_request, .complaint, .opt_out, .general_info: false
        default: true
        }
    }

    private func isEmergency(_ intent: Intent) -> Bool { rules.policies[intent]?.route == .emergency }

    /// Higher total first; equal totals by intent name, so the order does not depend on how the
    /// scores were collected.
    private static func ranksBefore(_ a: IntentScore, _ b: IntentScore) -> Bool {
        a.total != b.total ? a.total > b.total : a.intent.rawValue < b.intent.rawValue
    }

    private func decide(scores: [IntentScore], complexity: Double, sensitivity: Double,
                        entities: Entities, reasons: consuming [Reason]) -> Classification {
        let scale = rules.tuning.confidenceScale
        // Emergency intents win over everything else once any of their rules fires.
        let emergencies = scores.filter { isEmergency($0.intent) }
        var pool = emergencies.isEmpty ? scores : emergencies
        // A greeting only wins when nothing else was said: "hi, I want to see someone about ..."
        // is about the request. Intents scoring at least `greeting.yield_score` take precedence.
        let yieldScore = rules.tuning.greetingYieldScore
        if pool.count > 1, pool.contains(where: { $0.intent != .greeting && $0.total >= yieldScore }) {
            pool.removeAll { $0.intent == .greeting }
        }
        let ranked = pool.sorted(by: Self.ranksBefore)
        // A greeting next to a request does not make the request less certain.
        let others = scores.filter { $0.intent != ranked.first?.intent && ($0.intent != .greeting || ranked.first?.intent == .greeting) }
            .sorted(by: Self.ranksBefore)
        guard let top = ranked.first else {
            return finish(.other, confidence: 0.2, runnerUp: nil, complexity, sensitivity, entities, reasons)
        }
        let second = others.first?.total ?? 0
        let discount = rules.tuning.runnerUpDiscount
        let margin = emergencies.isEmpty ? max(top.total - discount * second, 0) : top.total
        let confidence = 1 - exp(-margin / scale)
        var runnerUp: ScoredIntent?
        if let r = others.first {
            let rc = (1 - exp(-r.total / scale)) * r.total / (top.total + r.total)
            runnerUp = ScoredIntent(intent: r.intent, confidence: rounded(rc))
            if confidence - rc < rules.tuning.ambiguityMargin, emergencies.isEmpty {
                reasons.append(Reason(code: "ambiguous", rule: rules.thresholdCitations["ambiguity.margin"],
                                      detail: "\(top.intent.rawValue) and \(r.intent.rawValue) score close", value: rules.thresholds["ambiguity.margin"]))
            }
        }
        return finish(top.intent, confidence: confidence, runnerUp: runnerUp, complexity, sensitivity, entities, reasons)
    }

    private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    private func finish(_ intent: Intent, confidence: Double, runnerUp: ScoredIntent?, _ complexity: Double,
                        _ sensitivity: Double, _ entities: Entities, _ reasons: consuming [Reason]) -> Classification {
        let policy = rules.policies[intent] ?? IntentPolicy(route: .human, queue: "general", priority: .normal, citation: "")
        var route = policy.route
        if route == .automate {
            let checks: [(String, Double, Bool, String)] = [
                ("automate.min_confidence", confidence, confidence >= rules.tuning.automateMinConfidence, "confidence below the automation minimum"),
                ("automate.max_complexity", complexity, complexity <= rules.tuning.automateMaxComplexity, "complexity above the automation maximum"),
                ("automate.max_sensitivity", sensitivity, sensitivity <= rules.tuning.automateMaxSensitivity, "sensitivity above the automation maximum"),
            ]
            for (name, _, passed, detail) in checks where !passed {
                route = .human
                reasons.append(Reason(code: "threshold.\(name)", rule: rules.thresholdCitations[name], detail: detail, value: rules.thresholds[name]))
            }
            if route == .automate {
                let limit = rules.tuning.automateMinConfidence
                reasons.append(Reason(code: "route.automate", rule: rules.thresholdCitations["automate.min_confidence"],
                                      detail: "confidence \(rounded(confidence)) is at least \(limit), complexity and sensitivity within limits",
                                      value: limit))
            }
        } else {
            reasons.append(Reason(code: "policy.\(intent.rawValue)", rule: policy.citation.isEmpty ? nil : policy.citation,
                                  detail: Self.policyDetail(intent, route)))
        }
        let queue = route == .automate ? nil : (policy.route == .automate ? (policy.queue ?? "scheduling") : policy.queue)
        let priority = route == .automate ? nil : policy.priority ?? .normal
        return Classification(intent: intent, confidence: rounded(min(max(confidence, 0), 1)), runnerUp: runnerUp,
                              complexity: rounded(complexity), sensitivity: rounded(sensitivity), route: route,
                              queue: queue, priority: priority, entities: entities, reasons: reasons,
                              rulesVersion: version)
    }
}

extension Classifier {
    static let policyRouteMarker = " is routed to "

    /// The detail of a `policy.INTENT` reason; `rulesRoute` reads the route back from it.
    static func policyDetail(_ intent: Intent, _ route: Route) -> String {
        "\(intent.rawValue)\(policyRouteMarker)\(route.rawValue) by policy"
    }

    /// The route the rules gave a decision, read back from the reasons `classify` wrote:
    /// `route.automate`, a failed `threshold.automate.*` check (human), or `policy.INTENT`.
    /// For decisions whose final route a later step changed (an escalated conversation, a
    /// booking dialogue); nil when the reasons do not say.
    static func rulesRoute(reasons: [Reason]) -> Route? {
        for reason in reasons {
            if reason.code == "route.automate" { return .automate }
            if reason.code.hasPrefix("threshold.automate.") { return .human }
            if reason.code.hasPrefix("policy."), let detail = reason.detail,
               let range = detail.range(of: policyRouteMarker),
               let route = Route(rawValue: String(detail[range.upperBound...].prefix { $0.isLetter })) {
                return route
            }
        }
        return nil
    }
}

extension RuleSet {
    /// The route the rules gave a decision before a later step changed it (see `Classifier.rulesRoute`).
    public static func rulesRoute(reasons: [Reason]) -> Route? { Classifier.rulesRoute(reasons: reasons) }
}
