/// Handlers that want the body piece by piece (NDJSON ingestion as it arrives).
public protocol HTTPStreamingHandler: HTTPHandler {
    /// Return a sink to receive the body incrementally for this request, or nil to buffer it
    /// whole. Called after `preflight` accepted the request. With a sink the limit is
    /// `HTTPServerConfig.maxStreamedBodyBytes` instead of `maxBodyBytes`.
    func bodySink(for head: HTTPRequestHead) -> (any HTTPBodySink)?
}

/// Receives one request's body as it arrives.
public protocol HTTPBodySink: AnyObject, Sendable {
    /// A piece of body, on the MHD thread; keep it quick. The bytes are valid only during the call.
    func receive(_ bytes: UnsafeRawBufferPointer)
    /// The body ended; answer through `responder` (from any thread).
    func finish(head: HTTPRequestHead, responder: HTTPResponder)
    /// The request will not complete: the client went away or the body grew over the limit.
    func abort()
}

/// Splits byte chunks into lines at "\n", dropping a "\r" before it. A line longer than
/// `maxLineBytes` is reported as `.tooLong` (once) and its remaining bytes are skipped.
public struct LineSplitter: Sendable {
    /// What `feed` and `finish` produce.
    public enum Line: Equatable, Sendable {
        /// A complete line without its terminator.
        case line([UInt8])
        /// A line over the limit was dropped.
        case tooLong
    }

    /// The longest line accepted, in bytes, without its terminator.
    public let maxLineBytes: Int
    private var partial: [UInt8] = []
    private var skipping = false

    /// Builds a splitter.
    public init(maxLineBytes: Int = 64 * 1024) {
        self.maxLineBytes = maxLineBytes
    }

    /// Consumes `bytes`, returning the lines they complete.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [Line] {
        var lines: [Line] = []
        var start = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                append(UnsafeRawBufferPointer(rebasing: bytes[start...]), into: &lines)
                break
            }
            append(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), into: &lines)
            if let line = endLine() { lines.append(line) }
            start = newline + 1
        }
        return lines
    }

    /// Consumes `bytes`, returning the lines they complete.
    public mutating func feed(_ bytes: [UInt8]) -> [Line] {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// The last line when the input did not end with "\n", if any.
    public mutating func finish() -> Line? {
        if partial.isEmpty && !skipping { return nil }
        return endLine()
    }

    private mutating func append(_ piece: UnsafeRawBufferPointer, into lines: inout [Line]) {
        guard !skipping else { return }
        // Allow one more byte for a "\r" that endLine strips.
        if partial.count + piece.count > maxLineBytes + 1 {
            partial.removeAll(keepingCapacity: true)
            skipping = true
            lines.append(.tooLong)
            return
        }
        partial.append(contentsOf: piece)
    }

    private mutating func endLine() -> Line? {
        if skipping {
            skipping = false
            return nil
        }
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        if partial.count > maxLineBytes {
            partial.removeAll(keepingCapacity: true)
            return .tooLong
        }
        let line = Line.line(partial)
        partial.removeAll(keepingCapacity: true)
        return line
    }
}
