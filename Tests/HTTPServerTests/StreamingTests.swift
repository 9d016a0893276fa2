import Foundation
import HTTPServer
import XCTest

/// Counts the NDJSON lines of a body as it arrives.
final class LineCountingSink: HTTPBodySink, @unchecked Sendable {
    private let lock = NSLock()
    private var splitter = LineSplitter(maxLineBytes: 64)  // guarded by `lock`
    private(set) var lines: [String] = []                  // guarded by `lock`
    private(set) var pieces = 0                            // guarded by `lock`
    private(set) var aborted = false                       // guarded by `lock`

    func receive(_ bytes: UnsafeRawBufferPointer) {
        lock.lock(); defer { lock.unlock() }
        pieces += 1
        for case .line(let line) in splitter.feed(bytes) { lines.append(String(decoding: line, as: UTF8.self)) }
    }

    func finish(head: HTTPRequestHead, responder: HTTPResponder) {
        lock.lock()
        if case .line(let last)? = splitter.finish() { lines.append(String(decoding: last, as: UTF8.self)) }
        let text = lines.joined(separator: "|")
        lock.unlock()
        DispatchQueue.global().async { responder.respond(.json(200, Array("{\"lines\":\"\(text)\"}".utf8))) }
    }

    func abort() { lock.lock(); aborted = true; lock.unlock() }
    var snapshot: (lines: [String], aborted: Bool) { lock.lock(); defer { lock.unlock() }; return (lines, aborted) }
}

struct SinkHandler: HTTPStreamingHandler {
    let sinks: Locked<[LineCountingSink]>
    func preflight(_ head: HTTPRequestHead) -> HTTPResponse? { nil }
    func handle(_ request: HTTPRequest, responder: HTTPResponder) {
        responder.respond(HTTPResponse(status: 200, body: Array("buffered:\(request.body.count)".utf8)))
    }
    func bodySink(for head: HTTPRequestHead) -> (any HTTPBodySink)? {
        guard head.path.hasSuffix("/transcript") else { return nil }
        let sink = LineCountingSink()
        sinks.update { $0.append(sink) }
        return sink
    }
}

final class StreamingTests: XCTestCase {
    private func streamingServer(_ sinks: Locked<[LineCountingSink]>, maxStreamed: Int = 4096) throws -> HTTPServer {
        let config = HTTPServerConfig(port: 0, maxBodyBytes: 16, connectionTimeoutSeconds: 5, maxStreamedBodyBytes: maxStreamed)
        let server = HTTPServer(config: config, handler: SinkHandler(sinks: sinks))
        try server.start()
        return server
    }

    func testStreamedResponseWrittenFromAnotherThread() throws {
        let closed = Locked(0)
        let streams = Locked<[HTTPResponseStream]>([])
        let server = try startServer(ClosureHandler { _, responder in
            let stream = responder.stream(status: 200, headers: [("Content-Type", "application/x-ndjson")])
            stream.onClose = { closed.update { $0 += 1 } }
            streams.update { $0.append(stream) }
            DispatchQueue.global().async {
                stream.write(Array("{\"n\":1}\n".utf8))
                usleep(30_000)
                stream.write(Array("{\"n\":2}\n".utf8))
                usleep(30_000)
                stream.write([UInt8](repeating: 0x7a, count: 100_000) + [0x0a])
                stream.finish()
                XCTAssertFalse(stream.isOpen)
                stream.write(Array("ignored".utf8))
            }
        })
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("GET /v1/calls/c1/events HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("transfer-encoding")?.lowercased(), "chunked")
        XCTAssertEqual(response.header("content-type"), "application/x-ndjson")
        XCTAssertEqual(response.body.count, 16 + 100_001)
        XCTAssertTrue(response.text.hasPrefix("{\"n\":1}\n{\"n\":2}\nzzz"))
        XCTAssertTrue(eventually { closed.get() == 1 })
        XCTAssertTrue(eventually { server.inFlight == 0 })
    }

    func testStreamNoticesTheClientLeaving() throws {
        let stream = Locked<HTTPResponseStream?>(nil)
        let closed = Locked(false)
        let server = try startServer(ClosureHandler { _, responder in
            let s = responder.stream(status: 200, headers: [])
            s.onClose = { closed.update { $0 = true } }
            stream.update { $0 = s }
            s.write(Array("first\n".utf8))
        })
        defer { server.stop() }
        do {
            let connection = try RawConnection(port: server.boundPort)
            connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(try connection.readResponse(head: true).status, 200)
        }
        let s = try XCTUnwrap(stream.get())
        // Writes wake the connection; a send to the closed socket ends the stream.
        XCTAssertTrue(eventually(5) {
            s.write([UInt8](repeating: 0x61, count: 8192))
            return !s.isOpen
        })
        XCTAssertTrue(eventually { closed.get() })
        XCTAssertTrue(eventually { server.inFlight == 0 })
    }

    func testStopClosesAnIdleStream() throws {
        let stream = Locked<HTTPResponseStream?>(nil)
        let closed = Locked(false)
        let server = try startServer(ClosureHandler { _, responder in
            let s = responder.stream(status: 200, headers: [])
            s.onClose = { closed.update { $0 = true } }
            stream.update { $0 = s }
        })
        let connection = try RawConnection(port: server.boundPort)
        connection.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(eventually { stream.get() != nil })
        usleep(50_000)  // let the reader find the buffer empty and suspend
        server.stop()
        XCTAssertEqual(stream.get()?.isOpen, false)
        XCTAssertTrue(closed.get())
        XCTAssertEqual(server.inFlight, 0)
    }

    func testBodySinkReceivesChunksAsTheyArrive() throws {
        let sinks = Locked<[LineCountingSink]>([])
        let server = try streamingServer(sinks)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("POST /v1/calls/c1/transcript HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
        connection.sendChunk(Array("{\"seq\":1}\r\n{\"se".utf8))
        XCTAssertTrue(eventually { sinks.get().first?.snapshot.lines == ["{\"seq\":1}"] }, "the first line is seen before the body ends")
        connection.sendChunk(Array("q\":2}\n{\"seq\":3}".utf8))
        connection.sendChunk([])
        let response = try connection.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "{\"lines\":\"{\"seq\":1}|{\"seq\":2}|{\"seq\":3}\"}")
        // maxBodyBytes (16) does not apply to a sink; a path without a sink is still buffered.
        let buffered = try roundTrip(server.boundPort, "POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        XCTAssertEqual(buffered.text, "buffered:3")
    }

    func testBodySinkOverItsLimitIsAbortedAnd413() throws {
        let sinks = Locked<[LineCountingSink]>([])
        let server = try streamingServer(sinks, maxStreamed: 100)
        defer { server.stop() }
        let connection = try RawConnection(port: server.boundPort)
        connection.send("POST /v1/calls/c1/transcript HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<3 { connection.sendChunk([UInt8](repeating: 0x0a, count: 60)) }
        connection.sendChunk([])
        XCTAssertEqual(try connection.readResponse().status, 413)
        XCTAssertEqual(sinks.get().first?.snapshot.aborted, true)

        let declared = try roundTrip(server.boundPort, "POST /v1/calls/c2/transcript HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n")
        XCTAssertEqual(declared.status, 413)
        XCTAssertEqual(sinks.get().last?.snapshot.aborted, true)
    }

    func testBodySinkIsAbortedWhenTheClientLeaves() throws {
        let sinks = Locked<[LineCountingSink]>([])
        let server = try streamingServer(sinks)
        defer { server.stop() }
        do {
            let connection = try RawConnection(port: server.boundPort)
            connection.send("POST /v1/calls/c1/transcript HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            connection.sendChunk(Array("{\"seq\":1}\n".utf8))
            XCTAssertTrue(eventually { sinks.get().first?.snapshot.lines.count == 1 })
        }
        XCTAssertTrue(eventually { sinks.get().first?.snapshot.aborted == true })
        XCTAssertTrue(eventually { server.inFlight == 0 })
    }
}
