import Foundation

/// An error as the HTTP API returns it: `{"error": {"code", "message", "field"}}`, with
/// `field` null when the error is not about one field.
/// HTTP statuses are assigned here and nowhere else.
public struct APIError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case malformed, unauthorized, forbidden, notFound, methodNotAllowed(allow: String), conflict
        case tooLarge, unsupportedMediaType, invalid, rateLimited(retryAfter: Int), unavailable
    }

    public var kind: Kind
    public var code: String
    public var message: String
    public var field: String?
    public var details: [ErrorDetail]?

    public init(_ kind: Kind, code: String, _ message: String, field: String? = nil, details: [ErrorDetail]? = nil) {
        self.kind = kind; self.code = code; self.message = message; self.field = field; self.details = details
    }

    /// The HTTP status of this error.
    public var status: Int {
        switch kind {
        case .malformed: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .invalid: 422
        case .rateLimited: 429
        case .unavailable: 503
        }
    }

    /// Extra response headers this error needs.
    public var headers: [(String, String)] {
        switch kind {
        case .unauthorized: [("WWW-Authenticate", "Bearer")]
        case .rateLimited(let s): [("Retry-After", String(s))]
        case .methodNotAllowed(let allow): [("Allow", allow)]
        case .unavailable: [("Retry-After", "1")]
        default: []
        }
    }

    /// The JSON body.
    public var body: [UInt8] { JSON.bytes(["error": object]) }

    /// The value of the body's `error` key, for answers that wrap it with more (a call's `seq`).
    public var object: [String: Any] {
        var error: [String: Any] = ["code": code, "message": message, "field": field ?? NSNull()]
        if let details { error["details"] = details.map(\.json) }
        return error
    }

    // Common errors.
    public static func malformed(_ message: String, field: String? = nil) -> APIError {
        APIError(.malformed, code: "malformed", message, field: field)
    }
    public static func invalid(_ message: String, field: String) -> APIError {
        APIError(.invalid, code: "invalid", message, field: field)
    }
    public static func missing(_ field: String) -> APIError {
        APIError(.malformed, code: "missing_field", "'\(field)' is required", field: field)
    }
    public static let notFound = APIError(.notFound, code: "not_found", "no such resource")
    public static let unauthorized = APIError(.unauthorized, code: "unauthorized", "a valid bearer token is required")
    public static func forbidden(_ scope: String) -> APIError {
        APIError(.forbidden, code: "forbidden", "this token lacks the '\(scope)' scope")
    }
    public static let unavailable = APIError(.unavailable, code: "unavailable",
                                             "the decision could not be stored; retry with the same message_id")
}

/// One diagnostic in an error's `details`, e.g. a rule file error.
public struct ErrorDetail: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    var json: [String: Any] { ["file": file, "line": line, "column": column, "message": message] }
}
