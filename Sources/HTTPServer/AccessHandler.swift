import CMicroHTTPD

/// The access-handler callback given to libmicrohttpd. `cls` is the `ServerCore` (retained by
/// the server for the daemon's life, so taken unretained here).
let accessHandler: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, conCls in
    guard let cls, let connection, let conCls else { return .NO }
    let core = Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
    guard let state = conCls.pointee else {
        let head = HeadReader.read(connection, method: method.map { String(cString: $0) } ?? "",
                                   url: url.map { String(cString: $0) } ?? "/")
        let exchange = Exchange(core: core, connection: connection, head: head)
        // Released in NOTIFY_COMPLETED (`requestCompleted`).
        conCls.pointee = Unmanaged.passRetained(exchange).toOpaque()
        core.requestStarted()
        return core.begin(exchange)
    }
    let exchange = Unmanaged<Exchange>.fromOpaque(state).takeUnretainedValue()
    switch exchange.stage {
    case .receiving:
        if let uploadSize, uploadSize.pointee > 0 {
            let bytes = UnsafeRawBufferPointer(start: uploadData, count: uploadSize.pointee)
            uploadSize.pointee = 0
            return exchange.consume(bytes) ? .YES : .NO
        }
        return core.bodyEnded(exchange)
    case .waiting:
        return core.awaitReply(exchange)
    case .answered:
        return .YES
    }
}

/// NOTIFY_COMPLETED: releases the exchange retained on the first call.
let completedHandler: MHD_RequestCompletedCallback = { cls, _, conCls, _ in
    guard let cls, let conCls, let state = conCls.pointee else { return }
    conCls.pointee = nil
    let core = Unmanaged<ServerCore>.fromOpaque(cls).takeUnretainedValue()
    let exchange = Unmanaged<Exchange>.fromOpaque(state).takeRetainedValue()
    core.requestCompleted(exchange)
}

extension ServerCore {
    /// First call, headers only: reject early, or choose where the body goes.
    func begin(_ exchange: Exchange) -> MHD_Result {
        let head = exchange.head
        if let early = handler.preflight(head) { return queue(early, on: exchange) }
        if let streamingHandler, let sink = streamingHandler.bodySink(for: head) { exchange.sink = sink }
        if let length = head.contentLength {
            if length > exchange.bodyLimit {
                exchange.sink?.abort()
                exchange.sink = nil
                return queue(Self.tooLarge(exchange.bodyLimit), on: exchange)
            }
            if exchange.sink == nil, length > 0 { exchange.body.reserveCapacity(length) }
        }
        return .YES
    }

    /// Last upload call: hand the request to the application and wait for its answer.
    func bodyEnded(_ exchange: Exchange) -> MHD_Result {
        if exchange.tooLarge { return queue(Self.tooLarge(exchange.bodyLimit), on: exchange) }
        exchange.stage = .waiting
        let responder = HTTPResponder(exchange: exchange)
        if let sink = exchange.sink {
            exchange.sink = nil
            sink.finish(head: exchange.head, responder: responder)
        } else {
            let request = HTTPRequest(head: exchange.head, body: exchange.body)
            exchange.body = []
            handler.handle(request, responder: responder)
        }
        return awaitReply(exchange)
    }

    /// Queues the answer if there is one; otherwise suspends the connection until a responder
    /// resumes it. The handler already ran, so an answer given synchronously costs no suspension.
    func awaitReply(_ exchange: Exchange) -> MHD_Result {
        lock.lock()
        let reply = exchange.reply
        if case .none = reply {
            let suspended = !exchange.abandoned && suspendLocked(exchange)
            lock.unlock()
            return suspended ? .YES : .NO
        }
        lock.unlock()
        switch reply {
        case .none: return .NO
        case .response(let response): return queue(response, on: exchange)
        case .stream(let stream): return queue(stream, on: exchange)
        }
    }

    /// Queues a complete response (libmicrohttpd copies the body).
    func queue(_ response: HTTPResponse, on exchange: Exchange) -> MHD_Result {
        let created = response.body.withUnsafeBytes { raw in
            MHD_create_response_from_buffer(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress),
                                            .RESPMEM_MUST_COPY)
        }
        guard let mhdResponse = created else { return .NO }
        return finishQueue(mhdResponse, status: response.status, headers: response.headers, on: exchange)
    }

    /// Queues a streamed response of unknown length, read by `streamReader`.
    func queue(_ stream: HTTPResponseStream, on exchange: Exchange) -> MHD_Result {
        // The response holds the stream until libmicrohttpd frees it (`streamFree`).
        let context = Unmanaged.passRetained(stream).toOpaque()
        guard let mhdResponse = MHD_create_response_from_callback(intake_mhd_size_unknown(), 16 * 1024,
                                                                  streamReader, context, streamFree) else {
            Unmanaged<HTTPResponseStream>.fromOpaque(context).release()
            return .NO
        }
        return finishQueue(mhdResponse, status: stream.status, headers: stream.headers, on: exchange)
    }

    private func finishQueue(_ mhdResponse: OpaquePointer, status: Int, headers: [(String, String)],
                             on exchange: Exchange) -> MHD_Result {
        for (name, value) in headers {
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        let result = MHD_queue_response(exchange.connection.pointer, UInt32(clamping: status), mhdResponse)
        MHD_destroy_response(mhdResponse)
        exchange.stage = .answered
        if result == .YES { exchange.queuedStatus = status }
        return result
    }

    /// The 413 answered for a body over `limit`.
    static func tooLarge(_ limit: Int) -> HTTPResponse {
        .serverError(413, code: "payload_too_large", message: "the body is larger than \(limit) bytes")
    }
}
