import Foundation
import HTTPServer

/// An endpoint: method, path pattern (`/v1/escalations/{id}/claim`), required scope, and whether it
/// takes a JSON body. The table is matched before any body is read.
struct Endpoint: Sendable {
    let method: String
    let pattern: [Segment]
    let scope: Scope?
    let bodyTypes: Set<String>
    let handler: @Sendable (RequestContext, HTTPResponder) -> Void
    /// For bodies processed as they arrive (a streamed call transcript): builds the sink from
    /// the path parameters. `handler` is not called for such routes.
    var sink: (@Sendable ([String: String]) -> any HTTPBodySink)? = nil

    enum Segment: Sendable, Equatable { case literal(String), parameter(String) }

    /// `bodyTypes` empty means the route takes no body.
    init(_ method: String, _ path: String, scope: Scope?, body: Set<String> = [],
         _ handler: @escaping @Sendable (RequestContext, HTTPResponder) -> Void) {
        self.method = method
        self.pattern = path.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        self.scope = scope
        self.bodyTypes = body
        self.handler = handler
    }

    /// The path parameters when `segments` matches this route. Literal segments are compared
    /// first, so the routes that do not match (most of them, for every request) allocate nothing.
    func match(_ segments: [Substring]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        for (seg, pat) in zip(segments, pattern) {
            if case .literal(let s) = pat, seg != s { return nil }
        }
        var params: [String: String] = [:]
        for (seg, pat) in zip(segments, pattern) {
            guard case .parameter(let name) = pat else { continue }
            guard let decoded = String(seg).removingPercentEncoding, !decoded.isEmpty else { return nil }
            params[name] = decoded
        }
        return params
    }

    /// This endpoint with its body streamed into `sink` as it arrives.
    func streaming(_ sink: @escaping @Sendable ([String: String]) -> any HTTPBodySink) -> Endpoint {
        var e = self
        e.sink = sink
        return e
    }
}

/// A request that passed routing and authentication.
struct RequestContext: Sendable {
    let request: HTTPRequest
    let params: [String: String]
    let key: AuthenticatedKey?

    var query: [String: String] { request.head.query }
}

/// Finds the endpoint for a request head, answering 404/405/415 before the body is read.
struct RouteTable: Sendable {
    let endpoints: [Endpoint]

    enum Match { case found(Endpoint, [String: String]), failed(APIError) }

    func match(_ head: HTTPRequestHead) -> Match {
        let segments = head.path.split(separator: "/", omittingEmptySubsequences: true)
        let method = head.method == "HEAD" ? "GET" : head.method
        var found: (index: Int, params: [String: String])?
        var allowed: Set<String> = []
        for i in endpoints.indices {
            guard let params = endpoints[i].match(segments) else { continue }
            if endpoints[i].method == method { found = (i, params); break }
            allowed.insert(endpoints[i].method)
        }
        guard let found else {
            if allowed.isEmpty { return .failed(.notFound) }
            // HEAD is answered wherever GET is.
            if allowed.contains("GET") { allowed.insert("HEAD") }
            let allow = allowed.sorted().joined(separator: ", ")
            return .failed(APIError(.methodNotAllowed(allow: allow), code: "method_not_allowed", "allowed: \(allow)"))
        }
        let route = endpoints[found.index], params = found.params
        if !route.bodyTypes.isEmpty {
            let type = (head.header("content-type") ?? "").split(separator: ";").first.map {
                $0.trimmingOptionalWhitespace.lowercased()
            } ?? ""
            guard route.bodyTypes.contains(type) else {
                let wanted = route.bodyTypes.sorted().joined(separator: " or ")
                return .failed(APIError(.unsupportedMediaType, code: "unsupported_media_type", "Content-Type must be \(wanted)"))
            }
        }
        return .found(route, params)
    }
}
