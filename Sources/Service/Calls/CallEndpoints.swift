import Foundation
import HTTPServer
import IntakeCore
import Voice

extension App {
    /// `POST /v1/calls/{call_id}/segments`: one event in, one answer out.
    func postSegment(_ ctx: RequestContext, _ r: HTTPResponder) {
        guard let callID = ctx.params["call_id"], MessageRequest.isValidID(callID) else {
            return r.fail(.invalid("the call id must be 1-128 printable ASCII characters without spaces or '/'", field: "call_id"))
        }
        let event: CallEvent
        switch CallEvent.parse(ctx.request.body, limits: voice.limits) {
        case .success(let e): event = e
        case .failure(let e):
            let kind: APIError.Kind = e.code == "malformed" || e.code == "missing_field" ? .malformed : .invalid
            return r.fail(APIError(e.code == "too_large" ? .tooLarge : kind, code: e.code, e.message, field: e.field))
        }
        voice.submit(callID: callID, event: event) { answer in
            r.respond(.json(answer.status, answer.body, headers: answer.status == 503 ? [("Retry-After", "1")] : []))
        }
    }

    /// `GET /v1/calls/{call_id}/events`: the call's answers as chunked NDJSON, or Server-Sent
    /// Events with `Accept: text/event-stream`, with a heartbeat, until the call ends.
    func streamEvents(_ ctx: RequestContext, _ r: HTTPResponder) {
        guard let callID = ctx.params["call_id"], MessageRequest.isValidID(callID) else { return r.fail(.notFound) }
        guard let entry = voice.entry(callID) else {
            return r.fail(APIError(.rateLimited(retryAfter: 5), code: "too_many_calls", "the daemon is handling its maximum of calls"))
        }
        let sse = (ctx.request.head.header("accept") ?? "").contains("text/event-stream")
        let stream = r.stream(status: 200, headers: [
            ("Content-Type", sse ? "text/event-stream" : "application/x-ndjson"), ("Cache-Control", "no-store"),
        ])
        let listener = CallEventListener(stream: stream, sse: sse, heartbeat: config.voice.heartbeatSeconds)
        guard voice.desk.addListener(entry, listener) else {
            listener.deliver(CallAnswer.error(APIError(.conflict, code: "call_over", "this call is over"), seq: nil))
            return listener.callEnded()
        }
        stream.onClose = { [voice] in
            listener.stop()
            voice.desk.removeListener(entry, listener)
        }
        listener.start()
    }

    /// `POST /v1/calls/{call_id}/transcript` finished: answered with the call's summary once
    /// every event of the body has been processed.
    func transcriptSink(callID: String) -> any HTTPBodySink {
        TranscriptSink(voice: voice, callID: callID, maxLineBytes: config.voice.maxLineBytes, log: log)
    }
}

/// An events stream listening to one call.
final class CallEventListener: CallListener, @unchecked Sendable {
    let stream: HTTPResponseStream
    let sse: Bool
    let heartbeat: Double
    // Guards `timer`.
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?

    init(stream: HTTPResponseStream, sse: Bool, heartbeat: Double) {
        self.stream = stream; self.sse = sse; self.heartbeat = heartbeat
    }

    func start() {
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + heartbeat, repeating: heartbeat)
        t.setEventHandler { [weak self] in
            guard let self, self.stream.isOpen else { return }
            self.stream.write(Array((self.sse ? ": ping\n\n" : "\n").utf8))
        }
        lock.withLock { timer = t }
        t.resume()
    }

    func stop() {
        lock.withLock { timer?.cancel(); timer = nil }
    }

    func deliver(_ answer: CallAnswer) {
        guard stream.isOpen else { return }
        if sse {
            stream.write(Array("event: \(answer.action == "error" ? "error" : "answer")\ndata: ".utf8) + answer.body + Array("\n\n".utf8))
        } else {
            stream.write(answer.body + [UInt8(ascii: "\n")])
        }
    }

    func callEnded() {
        stop()
        stream.finish()
    }
}

/// Receives a chunked NDJSON transcript line by line as it arrives. Each line is one call
/// event: parsed and queued on the call at once, so answers stream out on the events request
/// while the caller is still speaking. A malformed line gets an error answer and the stream
/// goes on. When the body ends, the request is answered with the call's summary after every
/// queued event has been processed.
final class TranscriptSink: HTTPBodySink, @unchecked Sendable {
    private let voice: VoiceService
    private let callID: String
    private let maxLineBytes: Int
    private let log: Log
    // Guards `splitter` and `lineNumber`: `receive` runs on the server's threads.
    private let lock = NSLock()
    private var splitter: LineSplitter
    private var lineNumber = 0

    init(voice: VoiceService, callID: String, maxLineBytes: Int, log: Log) {
        self.voice = voice; self.callID = callID; self.maxLineBytes = maxLineBytes; self.log = log
        self.splitter = LineSplitter(maxLineBytes: maxLineBytes)
    }

    func receive(_ bytes: UnsafeRawBufferPointer) {
        let lines = lock.withLock { number(splitter.feed(bytes)) }
        for (number, line) in lines { handle(number, line) }
    }

    /// Numbers lines as they come; a line over the limit counts as one.
    private func number(_ lines: [LineSplitter.Line]) -> [(Int, LineSplitter.Line)] {
        lines.map { lineNumber += 1; return (lineNumber, $0) }
    }

    private func handle(_ number: Int, _ line: LineSplitter.Line) {
        guard case .line(let bytes) = line else {
            return voice.reportMalformed(callID: callID, line: number,
                                         error: CallEventError(code: "too_large", message: "a line is limited to \(maxLineBytes) bytes"))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        switch CallEvent.parse(bytes, limits: voice.limits) {
        case .success(let event): voice.submit(callID: callID, event: event) { _ in }
        case .failure(let error): voice.reportMalformed(callID: callID, line: number, error: error)
        }
    }

    func finish(head: HTTPRequestHead, responder: HTTPResponder) {
        let rest = lock.withLock { number(splitter.finish().map { [$0] } ?? []) }
        for (number, line) in rest { handle(number, line) }
        guard let entry = voice.entry(callID) else {
            return responder.respond(.json(429, APIError(.rateLimited(retryAfter: 5), code: "too_many_calls", "too many calls").body,
                                           headers: [("Retry-After", "5")]))
        }
        voice.desk.enqueue(entry) { [voice, callID] done in
            responder.respond(.json(200, JSON.bytes(voice.summary(callID, entry))))
            done()
        }
    }

    func abort() {
        // Every event already received was decided and committed on its own; nothing is half done.
        log(.warning, "transcript_stream_aborted", [("call_id", callID)])
    }
}
