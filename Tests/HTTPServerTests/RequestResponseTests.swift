import Foundation
import HTTPServer
import XCTest

final class RequestResponseTests: XCTestCase {
    func testGetAndPostRoundTrip() throws {
        let server = try startServer(echoHandler)
        defer { server.stop() }
        let get = try roundTrip(server.boundPort, "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(get.status, 200)
        XCTAssertEqual(get.text, "GET /v1/ping\n")
        XCTAssertEqual(get.header("x-echo"), "1")
        XCTAssertEqual(get.header("content-type"), "text/plain")

        let body = "{\"a\":1}"
        let post = try roundTrip(server.boundPort, "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        XCTAssertEqual(post.status, 200)
        XCTAssertEqual(post.text, "POST /v1/messages\n{\"a\":1}")
    }

    func testQueryHeadersAndRemoteAddressReachTheHandler() throws {
        let seen = Locked<HTTPRequestHead?>(nil)
        let server = try startServer(ClosureHandler { request, responder in
            seen.update { $0 = request.head }
            responder.respond(.json(200, Array("{}".utf8)))
        })
        defer { server.stop() }
        let response = try roundTrip(server.boundPort,
            "GET /v1/slots?service=derm&from=2026-03-01&flag HTTP/1.1\r\nHost: x\r\nX-Custom-Thing: Value One\r\nAuthorization: Bearer abc\r\n\r\n")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "application/json")
        let head = try XCTUnwrap(seen.get())
        XCTAssertEqual(head.path, "/v1/slots")
        XCTAssertEqual(head.query["service"], "derm")
        XCTAssertEqual(head.query["from"], "2026-03-01")
        XCTAssertEqual(head.query["flag"], "")
        XCTAssertEqual(head.header("x-custom-thing"), "Value One")
        XCTAssertEqual(head.header("AUTHORIZATION"), "Bearer abc")
        XCTAssertTrue(head.headers.contains { $0.0 == "x-custom-thing" }, "names are lowercased")
        XCTAssertNil(head.contentLength)
        XCTAssertEqual(head.remoteAddress, "127.0.0.1")
    }

    func testHeadIsAnsweredLikeGetWithoutBody() throws {
        let server = try startServer(echoHandler)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readResponse(head: true)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("content-length"), "8")  // "HEAD /x\n"
        connection.send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try connection.readResponse().text, "GET /y\n", "no body bytes were left on the connection")
    }

    func testPreflightRejectsWithoutReadingTheBody() throws {
        let handled = Locked(0)
        let server = try startServer(ClosureHandler(preflightBody: { head in
            head.header("authorization") == nil ? .json(401, Array("{\"error\":{\"code\":\"unauthorized\"}}".utf8)) : nil
        }, handleBody: { _, responder in
            handled.update { $0 += 1 }
            responder.respond(HTTPResponse(status: 200))
        }))
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        // Declares a body well within the limit but never sends it: only an early answer can arrive.
        connection.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 401)
        XCTAssertTrue(response.text.contains("unauthorized"))
        XCTAssertEqual(handled.get(), 0)
    }

    func testContentLengthOverLimitIs413BeforeTheBody() throws {
        let handled = Locked(0)
        let server = try startServer(ClosureHandler { _, responder in
            handled.update { $0 += 1 }
            responder.respond(HTTPResponse(status: 200))
        }, maxBodyBytes: 1024)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.header("content-type"), "application/json")
        XCTAssertTrue(response.text.hasPrefix("{\"error\":{\"code\":\"payload_too_large\",\"message\":"), response.text)
        XCTAssertEqual(handled.get(), 0)
    }

    func testExpectContinueIsAnsweredOnlyWhenTheBodyIsWanted() throws {
        let server = try startServer(echoHandler, maxBodyBytes: 1024)
        defer { server.stop() }
        let refused = try RawConnection(port: server.boundPort)
        refused.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(try refused.readResponse().status, 413)

        let accepted = try RawConnection(port: server.boundPort)
        accepted.send("POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        let interim = try accepted.readResponse(head: true)
        XCTAssertEqual(interim.status, 100)
        accepted.send("hi")
        XCTAssertEqual(try accepted.readResponse().text, "POST /ok\nhi")
    }

    func testBodyAtTheLimitIsAccepted() throws {
        let server = try startServer(echoHandler, maxBodyBytes: 1024)
        defer { server.stop() }
        let body = String(repeating: "a", count: 1024)
        let response = try roundTrip(server.boundPort, "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n\(body)")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body.count, "POST /p\n".utf8.count + 1024)
    }

    func testBodyLargerThanTheConnectionMemoryArrivesWhole() throws {
        let size = 6 * HTTPServerConfig().connectionMemoryLimitBytes
        let server = try startServer(echoHandler, maxBodyBytes: size)
        defer { server.stop() }
        let body = String((0..<size).map { _ in "abcdefghij".randomElement()! })
        let response = try roundTrip(server.boundPort, "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n\(body)")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "POST /p\n" + body)
    }

    func testChunkedBodyGrowingPastTheLimitIs413() throws {
        let handled = Locked(0)
        let server = try startServer(ClosureHandler { _, responder in
            handled.update { $0 += 1 }
            responder.respond(HTTPResponse(status: 200))
        }, maxBodyBytes: 1024)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<3 { connection.sendChunk([UInt8](repeating: 0x61, count: 600)) }
        connection.sendChunk([])
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 413)
        XCTAssertTrue(response.text.contains("payload_too_large"))
        XCTAssertEqual(handled.get(), 0)
    }

    func testChunkedBodyWithinTheLimitIsDelivered() throws {
        let server = try startServer(echoHandler, maxBodyBytes: 1024)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        connection.sendChunk(Array("hello ".utf8))
        connection.sendChunk(Array("world".utf8))
        connection.sendChunk([])
        XCTAssertEqual(try connection.readResponse().text, "POST /c\nhello world")
    }

    func testHandlerAnswersLaterFromAnotherQueue() throws {
        let queue = DispatchQueue(label: "test.async")
        let server = try startServer(ClosureHandler { request, responder in
            queue.asyncAfter(deadline: .now() + 0.1) {
                responder.respond(.json(202, request.body))
                responder.respond(HTTPResponse(status: 500))  // ignored: answered already
            }
        })
        defer { server.stop() }
        let started = Date()
        let response = try roundTrip(server.boundPort, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(response.text, "{}")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.09)
    }

    func testManyConcurrentRequestsOverKeptAliveConnections() throws {
        let queue = DispatchQueue(label: "test.workers", attributes: .concurrent)
        let server = try startServer(ClosureHandler { request, responder in
            // Half answered at once, half from another thread, to mix both paths.
            if request.head.query["i"].flatMap(Int.init).map({ $0 % 2 == 0 }) ?? false {
                responder.respond(HTTPResponse(status: 200, body: Array(request.head.query["i"]!.utf8)))
            } else {
                queue.async { responder.respond(HTTPResponse(status: 200, body: Array(request.head.query["i"]!.utf8))) }
            }
        })
        defer { server.stop() }
        let answered = Locked(0)
        let port = server.boundPort
        DispatchQueue.concurrentPerform(iterations: 20) { socketIndex in
            guard let connection = try? RawConnection(port: port) else { return }
            for n in 0..<10 {
                let i = socketIndex * 10 + n
                connection.send("GET /n?i=\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                if let response = try? connection.readResponse(), response.status == 200, response.text == String(i) {
                    answered.update { $0 += 1 }
                }
            }
        }
        XCTAssertEqual(answered.get(), 200)
        XCTAssertTrue(eventually { server.inFlight == 0 })
    }

    func testObserverSeesEachRequestWithItsStatus() throws {
        let seen = Locked<[(String, String, Int)]>([])
        let server = try startServer(ClosureHandler(preflightBody: { head in
            head.path == "/missing" ? HTTPResponse(status: 404) : nil
        }, handleBody: { _, responder in responder.respond(HTTPResponse(status: 201)) }),
        observer: { method, path, status, seconds in
            XCTAssertGreaterThanOrEqual(seconds, 0)
            seen.update { $0.append((method, path, status)) }
        })
        defer { server.stop() }
        XCTAssertEqual(try roundTrip(server.boundPort, "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n").status, 404)
        XCTAssertEqual(try roundTrip(server.boundPort, "POST /made HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status, 201)
        XCTAssertTrue(eventually { seen.get().count == 2 })
        let statuses = seen.get().sorted { $0.2 < $1.2 }
        XCTAssertEqual(statuses.map(\.2), [201, 404])
        XCTAssertEqual(statuses.map(\.1), ["/made", "/missing"])
        XCTAssertEqual(statuses.map(\.0), ["POST", "GET"])
    }

    func testObserverReports499WhenTheClientLeavesMidBody() throws {
        let seen = Locked<[Int]>([])
        let server = try startServer(echoHandler, observer: { _, _, status, _ in seen.update { $0.append(status) } })
        defer { server.stop() }
        do {
            let connection = try RawConnection(port: server.boundPort)
            connection.send("POST /half HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc")
            XCTAssertTrue(eventually { server.inFlight == 1 })
        }  // the client closes its socket here
        XCTAssertTrue(eventually { seen.get() == [499] }, "\(seen.get())")
        XCTAssertEqual(server.inFlight, 0)
    }

    func testLateAnswerToAVanishedClientCompletesTheRequest() throws {
        let seen = Locked<[Int]>([])
        let held = Locked<HTTPResponder?>(nil)
        let server = try startServer(ClosureHandler { _, responder in held.update { $0 = responder } },
                                     observer: { _, _, status, _ in seen.update { $0.append(status) } })
        defer { server.stop() }
        do {
            let connection = try RawConnection(port: server.boundPort)
            connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertTrue(eventually { held.get() != nil })
        }  // the client closes its socket here
        // A suspended connection does not notice the disconnect; the late answer resumes it.
        held.get()?.respond(HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 1 << 20)))
        XCTAssertTrue(eventually { seen.get().count == 1 })
        XCTAssertTrue(eventually { server.inFlight == 0 })
    }
}
