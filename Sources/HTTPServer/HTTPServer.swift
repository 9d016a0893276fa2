import CMicroHTTPD
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on libmicrohttpd: a pool of polling threads, early rejection before any
/// body is read, and handlers that answer asynchronously while their connection is suspended.
public final class HTTPServer: @unchecked Sendable {
    private let core: ServerCore
    // Guarded by `core.lock`.
    private var port: UInt16 = 0
    private var started = false
    private var context: Unmanaged<ServerCore>?

    /// `observer(method, path, status, seconds)` is called once per finished request (for
    /// metrics); status 499 means the client went away before an answer was queued.
    public init(config: HTTPServerConfig, handler: any HTTPHandler,
                observer: (@Sendable (String, String, Int, Double) -> Void)? = nil) {
        core = ServerCore(config: config, handler: handler, observer: observer)
    }

    deinit {
        stop()
    }

    /// Binds and starts serving. Throws `HTTPServerError` (e.g. address already in use).
    public func start() throws {
        let config = core.config
        try core.locked {
            guard !started else { throw HTTPServerError(code: "already_started", message: "the server was already started") }
            started = true
        }
        let backlog = Int32(clamping: min(max(config.connectionLimit, 16), 4096))
        let fd: Int32, ipv6: Bool
        do {
            (fd, ipv6) = try ListenSocket.open(host: config.host, port: config.port, backlog: backlog)
        } catch {
            core.locked { started = false }  // nothing was started: a later start() may retry
            throw error
        }
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if ipv6 { flags |= MHD_USE_IPv6.rawValue }
        // The daemon's callbacks hold the core through `cls`; released in `stop()`.
        let context = Unmanaged.passRetained(core)
        let daemon = intake_mhd_start_listening(
            UInt32(flags), fd, accessHandler, context.toOpaque(), completedHandler, context.toOpaque(),
            UInt32(clamping: max(1, config.threadPoolSize)), UInt32(clamping: max(1, config.connectionLimit)),
            UInt32(clamping: max(0, config.connectionTimeoutSeconds)), max(4096, config.connectionMemoryLimitBytes),
            UInt32(clamping: max(0, config.perIPConnectionLimit)))
        guard let daemon else {
            context.release()
            close(fd)
            core.locked { started = false }
            throw HTTPServerError(code: "daemon", message: "libmicrohttpd could not start on \(config.host):\(config.port)")
        }
        let bound = intake_mhd_bound_port(daemon)
        core.locked {
            core.daemon = daemon
            self.context = context
            port = bound != 0 ? bound : ListenSocket.port(of: fd)
        }
    }

    /// The port actually bound (useful with port 0); 0 before `start()`.
    public var boundPort: UInt16 {
        core.locked { port }
    }

    /// Requests taken in and not yet completed.
    public var inFlight: Int {
        core.locked { core.inFlight }
    }

    /// Stops accepting new connections; requests already in progress go on.
    public func quiesce() {
        let daemon: OpaquePointer? = core.locked {
            guard !core.quiesced, let daemon = core.daemon else { return nil }
            core.quiesced = true
            return daemon
        }
        guard let daemon else { return }
        let fd = MHD_quiesce_daemon(daemon)
        if fd >= 0 { close(fd) }
    }

    /// Waits until no request is in flight (true) or `timeoutSeconds` pass (false).
    @discardableResult
    public func drain(timeoutSeconds: Double) -> Bool {
        core.drain(timeoutSeconds: timeoutSeconds)
    }

    /// Resumes suspended connections (their late answers are ignored), stops the daemon and
    /// its threads, and releases the callbacks' context. Idempotent.
    public func stop() {
        guard let daemon = core.beginStop() else { return }
        MHD_stop_daemon(daemon)
        let context: Unmanaged<ServerCore>? = core.locked {
            defer { self.context = nil }
            return self.context
        }
        context?.release()
    }
}
