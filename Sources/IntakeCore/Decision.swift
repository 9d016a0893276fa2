import Foundation

/// One reason behind a decision: a stable code and the rule (FILE:LINE) that produced it.
public struct Reason: Codable, Sendable, Equatable {
    public var code: String
    public var rule: String?
    /// Plain words for a front-desk lead, e.g. "matched phrase 'chest pain'".
    public var detail: String?
    /// Signal weight or threshold value where one applies.
    public var value: Double?

    public init(code: String, rule: String? = nil, detail: String? = nil, value: Double? = nil) {
        self.code = code; self.rule = rule; self.detail = detail; self.value = value
    }
}

/// A time wish extracted from a message, resolved against `sent_at` in the clinic timezone.
public struct TimeWindow: Codable, Sendable, Equatable {
    /// Earliest acceptable start (RFC 3339), inclusive.
    public var from: String?
    /// Latest acceptable start (RFC 3339), exclusive.
    public var to: String?
    /// Parts of day wanted: "morning", "afternoon", "evening".
    public var part_of_day: [String]?
    /// Weekdays wanted, 1 = Sunday ... 7 = Saturday (Calendar convention).
    public var weekdays: [Int]?
    /// Earliest hour of day (e.g. "after 3" = 15).
    public var after_hour: Int?
    /// Latest hour of day (e.g. "before noon" = 12).
    public var before_hour: Int?
    /// The words that produced this window, for the handoff packet.
    public var text: String?

    public init(from: String? = nil, to: String? = nil, part_of_day: [String]? = nil,
                weekdays: [Int]? = nil, after_hour: Int? = nil, before_hour: Int? = nil,
                text: String? = nil) {
        self.from = from; self.to = to; self.part_of_day = part_of_day; self.weekdays = weekdays
        self.after_hour = after_hour; self.before_hour = before_hour; self.text = text
    }
}

/// Entities extracted from a message.
public struct Entities: Codable, Sendable, Equatable {
    public var service: String?
    public var time_window: TimeWindow?
    public var location: String?
    public var provider: String?
    public var new_patient: Bool?
    /// Who the visit is for: "self", "child", "spouse", "parent", "other", or "multiple".
    public var visit_for: String?
    public var language: String?

    public init(service: String? = nil, time_window: TimeWindow? = nil, location: String? = nil,
                provider: String? = nil, new_patient: Bool? = nil, visit_for: String? = nil,
                language: String? = nil) {
        self.service = service; self.time_window = time_window; self.location = location
        self.provider = provider; self.new_patient = new_patient; self.visit_for = visit_for
        self.language = language
    }

    public var isEmpty: Bool { self == Entities() }
}

/// Whether and how a model endpoint took part in a decision.
public struct ModelUse: Codable, Sendable, Equatable {
    public var used: Bool
    public var name: String?
    public var prompt_version: String?
    public var latency_ms: Int?
    /// "used", "ignored", "overruled", "shadow", "failed".
    public var outcome: String?

    public init(used: Bool = false, name: String? = nil, prompt_version: String? = nil,
                latency_ms: Int? = nil, outcome: String? = nil) {
        self.used = used; self.name = name; self.prompt_version = prompt_version
        self.latency_ms = latency_ms; self.outcome = outcome
    }
}

/// An intent with its score, for the runner-up.
public struct ScoredIntent: Codable, Sendable, Equatable {
    public var intent: Intent
    public var confidence: Double
    public init(intent: Intent, confidence: Double) { self.intent = intent; self.confidence = confidence }
}

/// What the rule engine concludes about one text, before dialogue state is applied.
public struct Classification: Sendable, Equatable {
    public var intent: Intent
    public var confidence: Double
    public var runnerUp: ScoredIntent?
    public var complexity: Double
    public var sensitivity: Double
    public var route: Route
    /// Human queue for `human`/`emergency` routes (from the routing policy in rule files).
    public var queue: String?
    public var priority: Priority?
    public var entities: Entities
    public var reasons: [Reason]
    public var rulesVersion: String

    public init(intent: Intent, confidence: Double, runnerUp: ScoredIntent? = nil,
                complexity: Double = 0, sensitivity: Double = 0, route: Route,
                queue: String? = nil, priority: Priority? = nil, entities: Entities = Entities(),
                reasons: [Reason] = [], rulesVersion: String) {
        self.intent = intent; self.confidence = confidence; self.runnerUp = runnerUp
        self.complexity = complexity; self.sensitivity = sensitivity; self.route = route
        self.queue = queue; self.priority = priority; self.entities = entities
        self.reasons = reasons; self.rulesVersion = rulesVersion
    }
}

/// A recorded routing decision, as the API returns it.
public struct Decision: Codable, Sendable, Equatable {
    public var id: String
    public var route: Route
    public var action: Action
    public var intent: Intent
    public var confidence: Double
    public var complexity: Double
    public var sensitivity: Double
    public var entities: Entities
    public var reasons: [Reason]
    public var rules_version: String
    public var model: ModelUse
    public var runner_up: ScoredIntent?
    public var queue: String?
    public var priority: Priority?

    public init(id: String, route: Route, action: Action, intent: Intent, confidence: Double,
                complexity: Double, sensitivity: Double, entities: Entities, reasons: [Reason],
                rules_version: String, model: ModelUse = ModelUse(), runner_up: ScoredIntent? = nil,
                queue: String? = nil, priority: Priority? = nil) {
        self.id = id; self.route = route; self.action = action; self.intent = intent
        self.confidence = confidence; self.complexity = complexity; self.sensitivity = sensitivity
        self.entities = entities; self.reasons = reasons; self.rules_version = rules_version
        self.model = model; self.runner_up = runner_up; self.queue = queue; self.priority = priority
    }
}
