import CMicroHTTPD

/// Builds an `HTTPRequestHead` from a connection on its first access-handler call.
enum HeadReader {
    /// Collects key/value pairs from MHD_get_connection_values; passed unretained as the
    /// iterator's context, alive for the duration of the call.
    private final class Pairs {
        var items: [(String, String)] = []
        let lowercaseKeys: Bool
        init(lowercaseKeys: Bool) { self.lowercaseKeys = lowercaseKeys }
    }

    static func read(_ connection: OpaquePointer, method: String, url: String) -> HTTPRequestHead {
        let headers = values(connection, kind: .HEADER_KIND, lowercaseKeys: true)
        var query: [String: String] = [:]
        for (key, value) in values(connection, kind: .GET_ARGUMENT_KIND, lowercaseKeys: false) where query[key] == nil {
            query[key] = value
        }
        var head = HTTPRequestHead(method: method, path: url, query: query)
        head.headers = headers  // already lowercased
        head.contentLength = head.header("content-length").flatMap { Int(trimmed($0)) }
        if let address = intake_mhd_client_address(connection) {
            head.remoteAddress = ListenSocket.numericHost(address)
        }
        return head
    }

    private static func values(_ connection: OpaquePointer, kind: MHD_ValueKind, lowercaseKeys: Bool) -> [(String, String)] {
        let pairs = Pairs(lowercaseKeys: lowercaseKeys)
        let context = Unmanaged.passUnretained(pairs).toOpaque()
        _ = MHD_get_connection_values(connection, kind, { cls, _, key, value in
            guard let cls, let key else { return .YES }
            let pairs = Unmanaged<Pairs>.fromOpaque(cls).takeUnretainedValue()
            let name = String(cString: key)
            pairs.items.append((pairs.lowercaseKeys ? name.lowercased() : name, value.map { String(cString: $0) } ?? ""))
            return .YES
        }, context)
        return withExtendedLifetime(pairs) { pairs.items }
    }
}

/// `text` without leading and trailing spaces and tabs.
private func trimmed(_ text: String) -> Substring {
    var slice = Substring(text)
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return slice
}
