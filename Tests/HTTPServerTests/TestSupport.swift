import Foundation
import HTTPServer
import XCTest

/// A handler made of closures.
struct ClosureHandler: HTTPHandler {
    var preflightBody: @Sendable (HTTPRequestHead) -> HTTPResponse? = { _ in nil }
    var handleBody: @Sendable (HTTPRequest, HTTPResponder) -> Void

    func preflight(_ head: HTTPRequestHead) -> HTTPResponse? { preflightBody(head) }
    func handle(_ request: HTTPRequest, responder: HTTPResponder) { handleBody(request, responder) }
}

/// A thread-safe box for values tests collect from server threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value  // guarded by `lock`
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
    func update(_ body: (inout Value) -> Void) { lock.lock(); defer { lock.unlock() }; body(&value) }
}

/// Starts a server on an ephemeral loopback port.
func startServer(_ handler: any HTTPHandler, maxBodyBytes: Int = 1024,
                 observer: (@Sendable (String, String, Int, Double) -> Void)? = nil,
                 file: StaticString = #filePath, line: UInt = #line) throws -> HTTPServer {
    let config = HTTPServerConfig(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes,
                                  connectionTimeoutSeconds: 5, threadPoolSize: 2)
    let server = HTTPServer(config: config, handler: handler, observer: observer)
    try server.start()
    XCTAssertNotEqual(server.boundPort, 0, file: file, line: line)
    return server
}

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 3, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2000)
    }
    return condition()
}

let echoHandler = ClosureHandler { request, responder in
    var text = "\(request.head.method) \(request.head.path)\n"
    text += String(decoding: request.body, as: UTF8.self)
    responder.respond(HTTPResponse(status: 200, headers: [("Content-Type", "text/plain"), ("X-Echo", "1")], body: Array(text.utf8)))
}
