import CMicroHTTPD

/// The body of a streamed response: bytes written from any thread are sent as chunks.
/// While nothing is buffered the connection is suspended, so no MHD thread spins or blocks.
/// A client that goes away while the stream is idle is noticed on the next write.
public final class HTTPResponseStream: @unchecked Sendable {
    let exchange: Exchange
    let status: Int
    let headers: [(String, String)]

    // Guarded by `exchange.core.lock`.
    private var pending: [UInt8] = []
    private var readOffset = 0
    private var finished = false
    private var closed = false
    private var closeHandler: (@Sendable () -> Void)?

    init(exchange: Exchange, status: Int, headers: [(String, String)]) {
        self.exchange = exchange
        self.status = status
        self.headers = headers
    }

    /// Buffers `bytes` to be sent; ignored once the stream is not open.
    public func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let core = exchange.core
        core.locked {
            guard openLocked else { return }
            pending.append(contentsOf: bytes)
            core.resumeLocked(exchange)
        }
    }

    /// Ends the response once everything written so far is sent.
    public func finish() {
        let core = exchange.core
        core.locked {
            guard openLocked else { return }
            finished = true
            core.resumeLocked(exchange)
        }
    }

    /// False once the client went away, the server stopped, or `finish()` was called.
    public var isOpen: Bool {
        exchange.core.locked { openLocked }
    }

    /// Called once when the connection closes (client gone, stream finished and sent, or stop).
    public var onClose: (@Sendable () -> Void)? {
        get { exchange.core.locked { closeHandler } }
        set { exchange.core.locked { closeHandler = newValue } }
    }

    private var openLocked: Bool {
        !finished && !closed && !exchange.finished && !exchange.core.stopped
    }

    /// Marks the stream closed; true the first time. Call with the lock held.
    func closeLocked() -> Bool {
        guard !closed else { return false }
        closed = true
        pending = []
        readOffset = 0
        return true
    }

    /// Runs the close handler once (without the lock).
    func notifyClosed() {
        let handler: (@Sendable () -> Void)? = exchange.core.locked {
            defer { closeHandler = nil }
            return closeHandler
        }
        handler?()
    }

    /// The content reader's work, on the connection's MHD thread: copy what is buffered,
    /// end the stream, or suspend until the next write.
    func read(into buffer: UnsafeMutableRawPointer, max: Int) -> Int {
        let core = exchange.core
        core.lock.lock()
        defer { core.lock.unlock() }
        let available = pending.count - readOffset
        if available > 0 {
            let count = min(available, max)
            pending.withUnsafeBytes { raw in
                buffer.copyMemory(from: raw.baseAddress! + readOffset, byteCount: count)
            }
            readOffset += count
            if readOffset == pending.count {
                pending.removeAll(keepingCapacity: true)
                readOffset = 0
            } else if readOffset >= 64 * 1024 {
                pending.removeFirst(readOffset)
                readOffset = 0
            }
            return count
        }
        if finished { return intake_mhd_reader_end() }
        if closed || exchange.abandoned || !core.suspendLocked(exchange) { return intake_mhd_reader_error() }
        return 0
    }
}

/// MHD content reader for streamed responses; `cls` is the stream retained by `queue`.
let streamReader: MHD_ContentReaderCallback = { cls, _, buffer, max in
    guard let cls, let buffer else { return intake_mhd_reader_error() }
    return Unmanaged<HTTPResponseStream>.fromOpaque(cls).takeUnretainedValue().read(into: buffer, max: max)
}

/// Releases the stream retained when its response was created.
let streamFree: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<HTTPResponseStream>.fromOpaque(cls).release()
}
