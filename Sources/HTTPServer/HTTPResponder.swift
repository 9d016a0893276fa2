/// Answers one request exactly once, from any thread. Later calls are ignored, and so are
/// calls after the client went away or the server stopped.
public final class HTTPResponder: @unchecked Sendable {
    // Immutable; the exchange's shared state is guarded by its server's lock.
    let exchange: Exchange

    init(exchange: Exchange) {
        self.exchange = exchange
    }

    /// Sends `response`. Only the first answer (response or stream) counts.
    public func respond(_ response: HTTPResponse) {
        exchange.core.deliver(.response(response), to: exchange)
    }

    /// Starts a streamed response (chunked, unknown size). Returns a stream to write to from
    /// any thread. If the request was already answered, the stream returned is closed.
    public func stream(status: Int, headers: [(String, String)]) -> HTTPResponseStream {
        let stream = HTTPResponseStream(exchange: exchange, status: status, headers: headers)
        if !exchange.core.deliver(.stream(stream), to: exchange) {
            _ = exchange.core.locked { stream.closeLocked() }
        }
        return stream
    }
}
