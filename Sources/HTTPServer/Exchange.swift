import CMicroHTTPD
import Dispatch

/// The C pointer of one libmicrohttpd connection. Only used while libmicrohttpd keeps the
/// connection alive (until its NOTIFY_COMPLETED), which `Exchange` tracks.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// One request on its way through the server, from its first access-handler call to
/// NOTIFY_COMPLETED. Retained in `*con_cls` (passRetained on the first call, released in
/// NOTIFY_COMPLETED); responders and streams hold it too, so it may outlive the connection.
final class Exchange: @unchecked Sendable {
    /// Where the access handler is with this request.
    enum Stage { case receiving, waiting, answered }

    /// What the handler answered, if it has.
    enum Reply {
        case none
        case response(HTTPResponse)
        case stream(HTTPResponseStream)
    }

    let core: ServerCore
    let connection: ConnectionHandle
    let started: UInt64

    // Owned by the MHD thread serving the connection: libmicrohttpd never runs two callbacks
    // of one connection at once, and responders never touch these.
    let head: HTTPRequestHead
    var body: [UInt8] = []
    var received = 0
    var tooLarge = false
    var stage = Stage.receiving
    var sink: (any HTTPBodySink)?
    var queuedStatus = 0

    // Guarded by `core.lock`: written by responders and streams on any thread.
    var reply = Reply.none
    /// True between MHD_suspend_connection and the one MHD_resume_connection that follows.
    var isSuspended = false
    /// NOTIFY_COMPLETED ran: the connection is gone, every later answer is ignored.
    var finished = false
    /// `stop()` resumed the connection without an answer: close it.
    var abandoned = false

    init(core: ServerCore, connection: OpaquePointer, head: HTTPRequestHead) {
        self.core = core
        self.connection = ConnectionHandle(pointer: connection)
        self.head = head
        self.started = DispatchTime.now().uptimeNanoseconds
    }

    /// The body limit that applies: the streamed one with a sink, the buffered one otherwise.
    var bodyLimit: Int { sink == nil ? core.config.maxBodyBytes : core.config.maxStreamedBodyBytes }

    /// Takes one piece of body. Returns false when the client keeps sending far past the limit
    /// and the connection should be closed rather than read to the end.
    func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        received += bytes.count
        if tooLarge || received > bodyLimit {
            if !tooLarge { sink?.abort() }
            tooLarge = true
            sink = nil
            body = []
            // libmicrohttpd cannot answer before the body ends; read on for a while so the
            // client sees the 413, but do not read an endless body.
            return received - bodyLimit <= Self.discardAllowance
        }
        if let sink {
            sink.receive(bytes)
        } else {
            body.append(contentsOf: bytes)
        }
        return true
    }

    /// How many bytes past the limit are read and dropped before the connection is closed.
    static let discardAllowance = 1 << 20
}
