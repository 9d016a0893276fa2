import CMicroHTTPD
import Foundation

/// The state libmicrohttpd's callbacks reach through their `cls` pointer: retained for the
/// daemon's life (passRetained in `HTTPServer.start`, released after MHD_stop_daemon).
final class ServerCore: @unchecked Sendable {
    let config: HTTPServerConfig
    let handler: any HTTPHandler
    let streamingHandler: (any HTTPStreamingHandler)?
    let observer: (@Sendable (String, String, Int, Double) -> Void)?

    /// Guards the fields below and the shared fields of every `Exchange` and
    /// `HTTPResponseStream`. MHD_suspend_connection and MHD_resume_connection are called with
    /// it held, so that a resume can never race `stop()`; libmicrohttpd does not call back into
    /// this module while holding its own locks, so the order is safe.
    let lock = NSCondition()
    var daemon: OpaquePointer?
    var stopped = false
    var quiesced = false
    var inFlight = 0
    /// Every suspended exchange, so that `stop()` can resume them before MHD_stop_daemon.
    var suspended: [ObjectIdentifier: Exchange] = [:]

    init(config: HTTPServerConfig, handler: any HTTPHandler,
         observer: (@Sendable (String, String, Int, Double) -> Void)?) {
        self.config = config
        self.handler = handler
        self.streamingHandler = handler as? any HTTPStreamingHandler
        self.observer = observer
    }

    /// Runs `body` with `lock` held.
    @inline(__always)
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Suspend and resume (call with `lock` held)

    /// Suspends the exchange's connection. Called on its MHD thread, from the access handler
    /// or the content reader. Returns false when the server is stopping: close instead.
    func suspendLocked(_ exchange: Exchange) -> Bool {
        guard !stopped else {
            exchange.abandoned = true
            return false
        }
        MHD_suspend_connection(exchange.connection.pointer)
        exchange.isSuspended = true
        suspended[ObjectIdentifier(exchange)] = exchange
        return true
    }

    /// Resumes the exchange's connection if it is suspended; at most once per suspension.
    func resumeLocked(_ exchange: Exchange) {
        guard exchange.isSuspended, !stopped else { return }
        exchange.isSuspended = false
        suspended[ObjectIdentifier(exchange)] = nil
        MHD_resume_connection(exchange.connection.pointer)
    }

    /// Records the handler's answer and wakes the connection. False if it came too late or twice.
    @discardableResult
    func deliver(_ reply: Exchange.Reply, to exchange: Exchange) -> Bool {
        locked {
            guard !exchange.finished, !exchange.abandoned, case .none = exchange.reply else { return false }
            exchange.reply = reply
            resumeLocked(exchange)
            return true
        }
    }

    // MARK: - Lifecycle

    /// Marks the server stopped and resumes every suspended connection (abandoned), so that
    /// MHD_stop_daemon may run. Returns the daemon to stop, or nil if already stopped.
    func beginStop() -> OpaquePointer? {
        locked {
            guard !stopped else { return nil }
            stopped = true
            for exchange in suspended.values {
                exchange.isSuspended = false
                exchange.abandoned = true
                MHD_resume_connection(exchange.connection.pointer)
            }
            suspended.removeAll()
            let d = daemon
            daemon = nil
            return d
        }
    }

    /// Waits until no request is in flight or the deadline passes.
    func drain(timeoutSeconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: max(0, timeoutSeconds))
        lock.lock()
        defer { lock.unlock() }
        while inFlight > 0 {
            if !lock.wait(until: deadline) { break }
        }
        return inFlight == 0
    }

    /// A request was taken in (first access-handler call).
    func requestStarted() {
        locked { inFlight += 1 }
    }

    /// NOTIFY_COMPLETED: the connection is done with `exchange`.
    func requestCompleted(_ exchange: Exchange) {
        let stream: HTTPResponseStream? = locked {
            exchange.finished = true
            if exchange.isSuspended {  // cannot happen (suspended connections do not complete); stay safe
                exchange.isSuspended = false
                suspended[ObjectIdentifier(exchange)] = nil
            }
            inFlight -= 1
            if inFlight == 0 { lock.broadcast() }
            if case .stream(let s) = exchange.reply { return s.closeLocked() ? s : nil }
            return nil
        }
        if exchange.stage == .receiving, let sink = exchange.sink {
            exchange.sink = nil
            sink.abort()
        }
        stream?.notifyClosed()
        guard let observer else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds &- exchange.started) / 1e9
        observer(exchange.head.method, exchange.head.path, exchange.queuedStatus == 0 ? 499 : exchange.queuedStatus, seconds)
    }
}
