import Foundation
import IntakeCore

/// One event of a phone call as an IVR connector sends it:
/// `{"seq": 1, "type": "partial|final|dtmf|hangup", "text", "asr_confidence", "digits", "at"}`.
public struct CallEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable { case partial, final, dtmf, hangup }

    public var seq: Int
    public var kind: Kind
    public var text: String?
    public var asrConfidence: Double?
    public var digits: String?
    public var at: Date?

    public init(seq: Int, kind: Kind, text: String? = nil, asrConfidence: Double? = nil, digits: String? = nil, at: Date? = nil) {
        self.seq = seq; self.kind = kind; self.text = text; self.asrConfidence = asrConfidence
        self.digits = digits; self.at = at
    }
}

/// Why an event line was refused; `field` names the offending field.
public struct CallEventError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code; self.message = message; self.field = field
    }
}

/// Limits on call events.
public struct CallLimits: Sendable, Equatable {
    public var maxLineBytes = 16_384
    public var maxTextBytes = 4000
    public var maxEventsPerCall = 2000
    public var maxCallSeconds: Double = 4 * 3600
    public var maxDigits = 32

    public init() {}
}

extension CallEvent {
    /// Parses one JSON event (a line of NDJSON or a request body).
    public static func parse(_ bytes: some Collection<UInt8>, limits: CallLimits = CallLimits()) -> Result<CallEvent, CallEventError> {
        guard bytes.count <= limits.maxLineBytes else {
            return .failure(.init(code: "too_large", message: "an event is limited to \(limits.maxLineBytes) bytes"))
        }
        guard String(validating: Array(bytes), as: UTF8.self) != nil else {
            return .failure(.init(code: "malformed", message: "the event is not valid UTF-8"))
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return .failure(.init(code: "malformed", message: "the event is not a JSON object"))
        }
        return parse(object, limits: limits)
    }

    static func parse(_ o: [String: Any], limits: CallLimits) -> Result<CallEvent, CallEventError> {
        func bad(_ field: String, _ message: String, code: String = "invalid") -> Result<CallEvent, CallEventError> {
            .failure(.init(code: code, message: message, field: field))
        }
        guard let seq = o["seq"].flatMap(JSONTypes.integer), seq >= 1 else {
            return bad("seq", "'seq' must be a whole number from 1", code: o["seq"] == nil ? "missing_field" : "invalid")
        }
        guard let typeText = o["type"] as? String else { return bad("type", "'type' is required", code: "missing_field") }
        guard let kind = Kind(rawValue: typeText) else { return bad("type", "'type' must be partial, final, dtmf or hangup") }
        var event = CallEvent(seq: seq, kind: kind)
        if let raw = o["text"], !(raw is NSNull) {
            guard let text = raw as? String else { return bad("text", "'text' must be a string") }
            guard text.utf8.count <= limits.maxTextBytes else { return bad("text", "'text' is longer than \(limits.maxTextBytes) bytes") }
            event.text = text
        }
        if let raw = o["asr_confidence"], !(raw is NSNull) {
            guard let n = JSONTypes.number(raw), (0...1).contains(n) else {
                return bad("asr_confidence", "'asr_confidence' must be a number from 0 to 1")
            }
            event.asrConfidence = n
        }
        if let raw = o["digits"], !(raw is NSNull) {
            guard let digits = raw as? String, !digits.isEmpty, digits.count <= limits.maxDigits,
                  digits.allSatisfy({ "0123456789*#".contains($0) }) else {
                return bad("digits", "'digits' must be 1-\(limits.maxDigits) of 0-9, * and #")
            }
            event.digits = digits
        }
        if let raw = o["at"], !(raw is NSNull) {
            guard let text = raw as? String, let date = RFC3339.parse(text) else { return bad("at", "'at' must be an RFC 3339 timestamp") }
            event.at = date
        }
        switch kind {
        case .partial, .final:
            guard let t = event.text, !t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return bad("text", "a \(kind.rawValue) event needs 'text'", code: "missing_field")
            }
        case .dtmf:
            guard event.digits != nil else { return bad("digits", "a dtmf event needs 'digits'", code: "missing_field") }
        case .hangup: break
        }
        return .success(event)
    }
}
