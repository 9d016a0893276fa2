/// The request line and headers of one request, available before its body is read.
public struct HTTPRequestHead: Sendable {
    /// The method as sent: "GET", "POST", ...
    public var method: String
    /// The URL path without the query (percent-decoded by libmicrohttpd).
    public var path: String
    /// Query arguments; a key given without a value maps to "".
    public var query: [String: String]
    /// Header fields in arrival order, names lowercased.
    public var headers: [(String, String)]
    /// The declared body length, when the request has a Content-Length header.
    public var contentLength: Int?
    /// The client's numeric address, when known.
    public var remoteAddress: String?

    /// Builds a head; names in `headers` are lowercased here.
    public init(method: String, path: String, query: [String: String] = [:],
                headers: [(String, String)] = [], contentLength: Int? = nil, remoteAddress: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.contentLength = contentLength
        self.remoteAddress = remoteAddress
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        for (key, value) in headers where key == wanted { return value }
        return nil
    }

    /// True when the body is sent with `Transfer-Encoding: chunked`.
    public var isChunked: Bool {
        header("transfer-encoding")?.lowercased().contains("chunked") ?? false
    }
}

/// A whole request: its head and its body.
public struct HTTPRequest: Sendable {
    /// The request line and headers.
    public var head: HTTPRequestHead
    /// The body bytes (empty when there is none).
    public var body: [UInt8]

    /// Builds a request.
    public init(head: HTTPRequestHead, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }
}

/// A complete response: status, headers and body.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields to send; Content-Length is computed by the server.
    public var headers: [(String, String)]
    /// The body bytes.
    public var body: [UInt8]

    /// Builds a response.
    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with `Content-Type: application/json`.
    public static func json(_ status: Int, _ body: [UInt8], headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    /// The JSON error body `{"error":{"code":...,"message":...,"field":null}}` the server itself answers with.
    /// `code` and `message` are fixed strings of this module, so they need no escaping.
    static func serverError(_ status: Int, code: String, message: String) -> HTTPResponse {
        .json(status, Array("{\"error\":{\"code\":\"\(code)\",\"message\":\"\(message)\",\"field\":null}}".utf8))
    }
}

/// The application plugged into an `HTTPServer`.
public protocol HTTPHandler: Sendable {
    /// Called with the request head before any body is read. Return a response to reject the
    /// request early (404/405/415/401/403...); nil to go on and read the body.
    func preflight(_ head: HTTPRequestHead) -> HTTPResponse?
    /// Called with the whole body. Must eventually call `responder.respond` (from any thread).
    func handle(_ request: HTTPRequest, responder: HTTPResponder)
}
