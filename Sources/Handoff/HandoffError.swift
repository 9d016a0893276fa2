/// The one error type of the Handoff module. Carries identifiers and codes, never patient text.
/// HTTP statuses are assigned by the Service layer (`conflict` answers 409, the rest 409/422).
public struct HandoffError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error codes.
    public enum Code: String, Sendable, Equatable {
        /// The escalation is already claimed (the API answers 409).
        case conflict
        /// The transition is not allowed from the current status.
        case invalidTransition = "invalid_transition"
        /// A stored value (status, priority, date) could not be read.
        case invalidValue = "invalid_value"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code; self.message = message
    }

    public var description: String { "[\(code.rawValue)] \(message)" }
}
