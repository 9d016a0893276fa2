/// The one error type of the ModelClient module: only configuration problems throw; call
/// failures are `ModelOutcome.failed` values, never errors.
public struct ModelClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable code, e.g. `api_key_unreadable`.
    public var code: String
    public var message: String
    public init(code: String, message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}
