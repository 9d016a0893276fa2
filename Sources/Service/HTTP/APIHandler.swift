import Foundation
import HTTPServer
import IntakeCore

/// The HTTP face of the daemon: routing, authentication and scopes before the body is read,
/// then dispatch to the endpoint's handler with the whole body.
public final class APIHandler: HTTPStreamingHandler, @unchecked Sendable {
    // Immutable after init; endpoints capture the services they call.
    private let table: RouteTable
    private let auth: Authenticator
    private let limiter: RateLimiter?

    init(endpoints: [Endpoint], auth: Authenticator, limiter: RateLimiter? = nil) {
        self.table = RouteTable(endpoints: endpoints)
        self.auth = auth
        self.limiter = limiter
    }

    public func preflight(_ head: HTTPRequestHead) -> HTTPResponse? {
        switch resolve(head, charge: true) {
        case .failure(let error): return Self.response(error)
        case .success: return nil
        }
    }

    public func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        switch resolve(request.head) {
        case .failure(let error): responder.respond(Self.response(error))
        case .success(let (endpoint, params, key)):
            endpoint.handler(RequestContext(request: request, params: params, key: key), responder)
        }
    }

    public func bodySink(for head: HTTPRequestHead) -> (any HTTPBodySink)? {
        guard case .success(let (endpoint, params, _)) = resolve(head), let sink = endpoint.sink else { return nil }
        return sink(params)
    }

    /// `charge` takes a token from the key's rate bucket: once per request, at preflight.
    private func resolve(_ head: HTTPRequestHead, charge: Bool = false) -> Result<(Endpoint, [String: String], AuthenticatedKey?), APIError> {
        switch table.match(head) {
        case .failed(let error): return .failure(error)
        case .found(let endpoint, let params):
            guard let scope = endpoint.scope else { return .success((endpoint, params, nil)) }
            guard let key = auth.authenticate(header: head.header("authorization")) else { return .failure(.unauthorized) }
            guard key.allows(scope) else { return .failure(.forbidden(scope.rawValue)) }
            if charge, let limiter, let wait = limiter.admit(key.name) {
                return .failure(APIError(.rateLimited(retryAfter: wait), code: "rate_limited",
                                         "this key is over its rate limit; retry after \(wait) s"))
            }
            return .success((endpoint, params, key))
        }
    }

    /// The response for an API error.
    static func response(_ error: APIError) -> HTTPResponse {
        .json(error.status, error.body, headers: error.headers)
    }
}

extension HTTPResponder {
    /// Answers with an API error.
    func fail(_ error: APIError) { respond(APIHandler.response(error)) }

    /// Answers 200 with a JSON body.
    func ok(_ body: [UInt8]) { respond(.json(200, body)) }
}
