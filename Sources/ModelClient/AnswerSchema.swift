import Foundation
import IntakeCore

/// Parses an OpenAI chat-completions response and checks the model's content against the
/// strict answer schema: exactly `{"intent": one of the contract's intents, "confidence":
/// number 0...1, "rationale": string of at most 200 characters}`. Anything else is no answer.
/// Failure reasons are stable codes; no part of the response text is ever echoed.
public enum AnswerSchema {
    /// Longest rationale accepted, in characters.
    public static let maxRationale = 200

    /// The answer in a response body, or a failure reason code.
    public static func parse(responseBody data: Data) -> Result<ModelAnswer, SchemaFailure> {
        guard let envelope = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let choices = envelope["choices"] as? [Any], let first = choices.first as? [String: Any],
              let message = first["message"] as? [String: Any], let content = message["content"] as? String
        else { return .failure(.invalidJSON) }
        return parse(content: content)
    }

    /// Checks the assistant message content against the schema.
    public static func parse(content: String) -> Result<ModelAnswer, SchemaFailure> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] else {
            return .failure(.contentNotJSON)
        }
        guard Set(object.keys) == ["intent", "confidence", "rationale"] else { return .failure(.keys) }
        guard let raw = object["intent"] as? String, let intent = Intent(rawValue: raw) else {
            return .failure(.intent)
        }
        guard let value = object["confidence"], let confidence = JSONTypes.number(value),
              confidence.isFinite, (0...1).contains(confidence) else { return .failure(.confidence) }
        guard let rationale = object["rationale"] as? String, rationale.count <= maxRationale else {
            return .failure(.rationale)
        }
        return .success(ModelAnswer(intent: intent, confidence: confidence, rationale: rationale))
    }

    /// Why a response was not a valid answer.
    public enum SchemaFailure: String, Error, Sendable {
        case invalidJSON = "invalid_json"
        case contentNotJSON = "schema_not_json"
        case keys = "schema_keys"
        case intent = "schema_intent"
        case confidence = "schema_confidence"
        case rationale = "schema_rationale"
    }
}
