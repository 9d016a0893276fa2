import Foundation
import HTTPServer
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class LifecycleTests: XCTestCase {
    func testPortZeroBindsAnEphemeralPort() throws {
        let server = try startServer(echoHandler)
        defer { server.stop() }
        XCTAssertGreaterThan(server.boundPort, 1023)
        XCTAssertEqual(try roundTrip(server.boundPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status, 200)
    }

    /// One client trickling half-sent requests cannot hold more than its share of connections:
    /// beyond the per-address limit its new connections are closed at once.
    func testPerAddressConnectionLimit() throws {
        let config = HTTPServerConfig(host: "127.0.0.1", port: 0, connectionLimit: 64, perIPConnectionLimit: 2,
                                      connectionTimeoutSeconds: 5, threadPoolSize: 2)
        let server = HTTPServer(config: config, handler: echoHandler)
        try server.start()
        defer { server.stop() }
        let slow = try (0..<2).map { _ in try RawConnection(port: server.boundPort) }
        for c in slow { c.send("GET / HTTP/1.1\r\nHost: x\r\n") }  // headers never finished
        let third = try RawConnection(port: server.boundPort, timeoutSeconds: 2)
        XCTAssertTrue(third.isClosedByPeer(), "a third connection from the same address is refused")
        slow[0].send("\r\n")
        XCTAssertEqual(try slow[0].readResponse().status, 200, "the held connections themselves are served")
        _ = slow  // both stay open until here
    }

    func testBindFailureThrowsAReadableError() throws {
        let first = try startServer(echoHandler)
        defer { first.stop() }
        let second = HTTPServer(config: HTTPServerConfig(port: first.boundPort), handler: echoHandler)
        XCTAssertThrowsError(try second.start()) { error in
            let error = error as? HTTPServerError
            XCTAssertEqual(error?.code, "bind")
            XCTAssertEqual(error?.errno, EADDRINUSE)
            XCTAssertTrue(error?.description.contains("address already in use") ?? false, "\(String(describing: error))")
        }
        second.stop()
        XCTAssertThrowsError(try HTTPServer(config: HTTPServerConfig(host: "not-an-address", port: 0), handler: echoHandler).start()) {
            XCTAssertEqual(($0 as? HTTPServerError)?.code, "bad_address")
        }
    }

    func testIPv6Loopback() throws {
        let server = HTTPServer(config: HTTPServerConfig(host: "::1", port: 0), handler: echoHandler)
        do { try server.start() } catch let error as HTTPServerError where error.errno == EADDRNOTAVAIL || error.errno == EAFNOSUPPORT {
            throw XCTSkip("no IPv6 loopback here")
        }
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort, host: "::1")
        connection.send("GET /six HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try connection.readResponse().text, "GET /six\n")
    }

    func testDrainWaitsForASlowAnswerAndQuiesceRefusesNewConnections() throws {
        let server = try startServer(ClosureHandler { _, responder in
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { responder.respond(HTTPResponse(status: 200, body: Array("late".utf8))) }
        })
        defer { server.stop() }
        let port = server.boundPort
        let connection = try RawConnection(port: port)
        connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(eventually { server.inFlight == 1 })
        server.quiesce()
        XCTAssertThrowsError(try RawConnection(port: port)) { error in
            guard case RawClientError.connect(let code) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(code, ECONNREFUSED)
        }
        XCTAssertFalse(server.drain(timeoutSeconds: 0.05), "the answer is not due yet")
        XCTAssertTrue(server.drain(timeoutSeconds: 3))
        XCTAssertEqual(server.inFlight, 0)
        XCTAssertEqual(try connection.readResponse().text, "late")
    }

    func testStopIsIdempotentAndLeavesHeldRespondersHarmless() throws {
        let held = Locked<HTTPResponder?>(nil)
        let server = try startServer(ClosureHandler { _, responder in held.update { $0 = responder } })
        let connection = try RawConnection(port: server.boundPort)
        connection.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(eventually { held.get() != nil })
        XCTAssertEqual(server.inFlight, 1)
        server.quiesce()
        server.stop()
        server.stop()
        XCTAssertEqual(server.inFlight, 0)
        XCTAssertTrue(connection.isClosedByPeer(), "the unanswered connection is closed")
        held.get()?.respond(HTTPResponse(status: 200))  // no-op, must not crash
        let stream = held.get()?.stream(status: 200, headers: [])
        XCTAssertEqual(stream?.isOpen, false)
        stream?.write(Array("x".utf8))
        stream?.finish()
        server.quiesce()
        XCTAssertTrue(server.drain(timeoutSeconds: 0))
    }

    func testStartAndStopLeaveNoDescriptorsBehind() throws {
        func openDescriptors() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1 }
        let before = openDescriptors()
        for quiesceFirst in [false, true] {
            let server = try startServer(echoHandler)
            XCTAssertEqual(try roundTrip(server.boundPort, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status, 200)
            if quiesceFirst { server.quiesce() }
            server.stop()
        }
        XCTAssertEqual(openDescriptors(), before)
    }

    func testAFailedStartCanBeRetried() throws {
        let first = try startServer(echoHandler)
        let port = first.boundPort
        let second = HTTPServer(config: HTTPServerConfig(port: port), handler: echoHandler)
        XCTAssertThrowsError(try second.start())
        first.stop()
        try second.start()
        defer { second.stop() }
        XCTAssertEqual(second.boundPort, port)
    }

    func testStopBeforeStartAndDoubleStart() throws {
        HTTPServer(config: HTTPServerConfig(port: 0), handler: echoHandler).stop()
        let server = try startServer(echoHandler)
        defer { server.stop() }
        XCTAssertThrowsError(try server.start())
    }

    func testResponderAnsweringWhileStopRacesIsSafe() throws {
        let held = Locked<[HTTPResponder]>([])
        let server = try startServer(ClosureHandler { _, responder in held.update { $0.append(responder) } })
        var connections: [RawConnection] = []
        for _ in 0..<8 {
            let connection = try RawConnection(port: server.boundPort)
            connection.send("GET /r HTTP/1.1\r\nHost: x\r\n\r\n")
            connections.append(connection)
        }
        XCTAssertTrue(eventually { held.get().count == 8 })
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for responder in held.get() { responder.respond(HTTPResponse(status: 200)) }
        }
        server.stop()
        group.wait()
        XCTAssertEqual(server.inFlight, 0)
    }
}
