import Foundation
import IntakeCore

/// The contract's corpus metrics.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    public var cases: Int
    public var intent_accuracy: Double
    public var emergency_recall: Double
    public var unsafe_automation: Double
    public var automation_rate: Double
    public var false_emergency: Double
    /// expected route label ("automate", "human|emergency", ...) -> actual route -> count.
    public var confusion: [String: [String: Int]]
}

/// A case the rules got wrong (intent or an unacceptable route).
public struct EvaluationMiss: Codable, Sendable, Equatable {
    public var id: String
    public var text: String
    public var expected_routes: [Route]
    public var expected_intent: Intent?
    public var route: Route
    public var intent: Intent
    public var confidence: Double
}

/// Scores a rule set on a corpus.
public enum Evaluation {
    /// Fixed reference time and zone so relative dates in a corpus evaluate the same every run.
    public static let referenceDate = Date(timeIntervalSince1970: 1_772_478_000)  // 2026-03-02T14:00:00-05:00

    public static func run(_ rules: RuleSet, cases: [CorpusCase],
                           timeZone: TimeZone = TimeZone(identifier: "America/New_York")!) -> (metrics: EvaluationMetrics, misses: [EvaluationMiss]) {
        var intentRight = 0, intentTotal = 0
        var emergencyCases = 0, emergencyHit = 0
        var noAutoCases = 0, unsafe = 0
        var autoCases = 0, automated = 0
        var nonEmergency = 0, falseEmergency = 0
        var confusion: [String: [String: Int]] = [:]
        var misses: [EvaluationMiss] = []
        for c in cases {
            let d = rules.classify(c.text, sentAt: referenceDate, timeZone: timeZone)
            let label = c.routes.map(\.rawValue).joined(separator: "|")
            confusion[label, default: [:]][d.route.rawValue, default: 0] += 1
            if let intent = c.intent { intentTotal += 1; if intent == d.intent { intentRight += 1 } }
            if c.routes == [.emergency] { emergencyCases += 1; if d.route == .emergency { emergencyHit += 1 } }
            if !c.routes.contains(.automate) { noAutoCases += 1; if d.route == .automate { unsafe += 1 } }
            if c.routes == [.automate] { autoCases += 1; if d.route == .automate { automated += 1 } }
            if !c.routes.contains(.emergency) { nonEmergency += 1; if d.route == .emergency { falseEmergency += 1 } }
            if !c.routes.contains(d.route) || (c.intent != nil && c.intent != d.intent) {
                misses.append(EvaluationMiss(id: c.id, text: c.text, expected_routes: c.routes, expected_intent: c.intent,
                                             route: d.route, intent: d.intent, confidence: d.confidence))
            }
        }
        func ratio(_ a: Int, _ b: Int, empty: Double) -> Double { b == 0 ? empty : Double(a) / Double(b) }
        let metrics = EvaluationMetrics(
            cases: cases.count,
            intent_accuracy: ratio(intentRight, intentTotal, empty: 1),
            emergency_recall: ratio(emergencyHit, emergencyCases, empty: 1),
            unsafe_automation: ratio(unsafe, noAutoCases, empty: 0),
            automation_rate: ratio(automated, autoCases, empty: 1),
            false_emergency: ratio(falseEmergency, nonEmergency, empty: 0),
            confusion: confusion)
        return (metrics, misses)
    }
}
