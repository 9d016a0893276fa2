/// Limits and addresses of an `HTTPServer`.
public struct HTTPServerConfig: Sendable {
    /// "127.0.0.1", "0.0.0.0", "::", "::1", "localhost" or any numeric IPv4/IPv6 address.
    public var host: String
    /// The TCP port; 0 picks a free one (see `HTTPServer.boundPort`).
    public var port: UInt16
    /// The largest buffered body; a larger one is answered 413 without being kept.
    public var maxBodyBytes: Int
    /// The largest body fed to an `HTTPBodySink`.
    public var maxStreamedBodyBytes: Int
    /// Concurrent connections accepted; more are refused by libmicrohttpd.
    public var connectionLimit: Int
    /// Concurrent connections accepted from one client address; 0 for no limit. One client
    /// holding every connection with half-sent requests would otherwise lock everyone out.
    public var perIPConnectionLimit: Int
    /// Idle seconds before a connection is closed (suspended connections do not time out).
    public var connectionTimeoutSeconds: Int
    /// Threads polling connections.
    public var threadPoolSize: Int
    /// Memory for one connection's headers and read buffer. libmicrohttpd zeroes the used part
    /// of it between requests on a kept-alive connection, so it stays at its own default of 32 KiB
    /// (bodies are copied out as they arrive, so their size does not depend on it).
    public var connectionMemoryLimitBytes: Int

    /// Builds a configuration; the defaults suit a loopback service.
    public init(host: String = "127.0.0.1", port: UInt16 = 8080, maxBodyBytes: Int = 65536,
                connectionLimit: Int = 1024, perIPConnectionLimit: Int = 0, connectionTimeoutSeconds: Int = 30,
                threadPoolSize: Int = 2, connectionMemoryLimitBytes: Int = 32768,
                maxStreamedBodyBytes: Int = 16 << 20) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxStreamedBodyBytes = maxStreamedBodyBytes
        self.connectionLimit = connectionLimit
        self.perIPConnectionLimit = perIPConnectionLimit
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.threadPoolSize = threadPoolSize
        self.connectionMemoryLimitBytes = connectionMemoryLimitBytes
    }
}

/// Why the server could not start.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    /// A stable code: "bad_address", "socket", "bind", "listen", "daemon", "already_started".
    public var code: String
    /// A sentence for the operator.
    public var message: String
    /// The errno behind it, when there is one.
    public var errno: Int32?

    /// Builds an error.
    public init(code: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
