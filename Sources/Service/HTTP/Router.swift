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

    /// The path parameters when `segments` matches this route.
    func match(_ segments: [Substring]) -> [String: String]? {
        guard segments.count == pattern.count else { return nil }
        var params: [String: String] = [:]
        for (seg, pat) in zip(segments, pattern) {
            switch pat {
            case .literal(let s): guard seg == s else { return nil }
            case .parameter(let name):
                guard let decoded = String(seg).removingPercentEncoding, !decoded.isEmpty else { return nil }
                params[name] = decoded
            }
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
        let candidates = endpoints.compactMap { r in r.match(segments).map { (r, $0) } }
        guard !candidates.isEmpty else { return .failed(.notFound) }
        let method = head.method == "HEAD" ? "GET" : head.method
        guard let (route, params) = candidates.first(where: { $0.0.method == method }) else {
            let allowed = Set(candidates.map(\.0.method)).sorted().joined(separator: ", ")
            return .failed(APIError(.methodNotAllowed, code: "method_not_allowed", "allowed: \(allowed)"))
        }
        if !route.bodyTypes.isEmpty {
            let type = (head.header("content-type") ?? "").split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
            guard route.bodyTypes.contains(type) else {
                let wanted = route.bodyTypes.sorted().joined(separator: " or ")
                return .failed(APIError(.unsupportedMediaType, code: "unsupported_media_type", "Content-Type must be \(wanted)"))
            }
        }
        return .found(route, params)
    }
}
