import IntakeCore
import Redaction

/// What the model is asked about one message. The text is redacted by the client before it
/// leaves the process; the known identifiers are used only for that and are never sent.
public struct ClassifyInput: Sendable {
    /// The patient's message as received (not yet redacted).
    public var text: String
    /// Identifiers from the request's patient fields, to be redacted wherever they appear.
    public var known: KnownIdentifiers
    /// The channel, shown to the model.
    public var channel: Channel
    /// Message language ("en", "es"); "unknown" when absent.
    public var language: String?
    /// The rules' classification, shown to the model as context (intent and confidence only).
    public var rules: Classification?

    /// Creates an input.
    public init(text: String, known: KnownIdentifiers = .none, channel: Channel = .chat,
                language: String? = nil, rules: Classification? = nil) {
        self.text = text; self.known = known; self.channel = channel
        self.language = language; self.rules = rules
    }
}

/// A model answer that passed the strict schema.
public struct ModelAnswer: Sendable, Equatable {
    public var intent: Intent
    /// 0...1.
    public var confidence: Double
    /// At most `AnswerSchema.maxRationale` characters.
    public var rationale: String

    public init(intent: Intent, confidence: Double, rationale: String) {
        self.intent = intent; self.confidence = confidence; self.rationale = rationale
    }
}

/// How a call ended.
public enum ModelOutcome: Sendable, Equatable {
    /// A valid answer.
    case answer(ModelAnswer)
    /// Called, but no valid answer: a stable reason code such as `timeout`, `http_500`,
    /// `invalid_json`, `schema_intent`, `response_too_large`, `transport`. Never model text.
    case failed(String)
    /// Not called: `circuit_open`, `concurrency_limit`, `prompt_render`.
    case skipped(String)
}

/// The result of one classify call, with what a decision records about it.
public struct ModelResult: Sendable, Equatable {
    /// Answer, failure or skip.
    public var outcome: ModelOutcome
    /// Model name from the configuration.
    public var model: String
    /// Version (`sha256:...`) of the prompt template used.
    public var promptVersion: String
    /// Wall time from the call to its completion, in milliseconds (0 when skipped).
    public var latencyMs: Int

    public init(outcome: ModelOutcome, model: String, promptVersion: String, latencyMs: Int) {
        self.outcome = outcome; self.model = model; self.promptVersion = promptVersion; self.latencyMs = latencyMs
    }

    /// The answer, when there is one.
    public var answer: ModelAnswer? { if case .answer(let a) = outcome { a } else { nil } }

    /// The reason code of a failed or skipped call.
    public var reason: String? {
        switch outcome {
        case .answer: nil
        case .failed(let r), .skipped(let r): r
        }
    }
}
