import Foundation
import IntakeCore
import Prompts
import Redaction

/// Builds the chat-completions request body. Pure. Only the redacted message and the rules'
/// labels are placed in the prompt; patient fields are never among the values.
public enum ChatRequest {
    struct Body: Encodable {
        struct ResponseFormat: Encodable { let type = "json_object" }
        let model: String
        let messages: [PromptMessage]
        let temperature = 0
        let max_tokens = 256
        let stream = false
        let response_format = ResponseFormat()
    }

    /// The values a prompt template is rendered with.
    public static func values(for input: ClassifyInput) -> [String: String] {
        let redacted = Redactor.redact(input.text, known: input.known).text
        let rules = input.rules
        return [
            "message": redacted,
            "channel": input.channel.rawValue,
            "language": input.language ?? "unknown",
            "intents": Intent.allCases.map(\.rawValue).joined(separator: ", "),
            "rules_intent": rules?.intent.rawValue ?? "none",
            "rules_confidence": rules.map { String(format: "%.2f", $0.confidence) } ?? "none",
            "runner_up": rules?.runnerUp?.intent.rawValue ?? "none",
        ]
    }

    /// The JSON body for `input` rendered with `prompt`.
    public static func body(for input: ClassifyInput, prompt: PromptTemplate, model: String) throws -> Data {
        let messages = try prompt.render(values: values(for: input))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Body(model: model, messages: messages))
    }
}
