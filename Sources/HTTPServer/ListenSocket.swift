#if canImport(Glibc)
import Glibc
#endif

/// Opens the listening socket before libmicrohttpd sees it, so a failure says exactly what
/// went wrong (address in use, permission denied) instead of a bare NULL daemon.
enum ListenSocket {
    /// A bound, listening, non-blocking socket for `host:port`, and whether it is IPv6.
    static func open(host: String, port: UInt16, backlog: Int32) throws -> (fd: Int32, ipv6: Bool) {
        let address = try resolve(host)
        let family = address.ipv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw error("socket", "cannot create a socket", errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if address.ipv6 {
            // "::" serves IPv4 too (dual stack); any other IPv6 address only IPv6.
            var v6only: Int32 = host == "::" ? 0 : 1
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &v6only, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = address.ipv6 ? bind6(fd, address.v6, port) : bind4(fd, address.v4, port)
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw error("bind", "cannot bind \(host):\(port): \(describe(code))", code)
        }
        guard listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw error("listen", "cannot listen on \(host):\(port): \(describe(code))", code)
        }
        return (fd, address.ipv6)
    }

    /// The port a socket is bound to.
    static func port(of fd: Int32) -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return 0 }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { raw in
            if family == sa_family_t(AF_INET6) {
                return raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The numeric text of a socket address (IPv4 or IPv6), or nil.
    static func numericHost(_ address: UnsafePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = Int32(address.pointee.sa_family)
        let result: UnsafePointer<CChar>?
        if family == AF_INET {
            result = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                withUnsafePointer(to: sin.pointee.sin_addr) { inet_ntop(AF_INET, $0, &buffer, socklen_t(buffer.count)) }
            }
        } else if family == AF_INET6 {
            result = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                withUnsafePointer(to: sin6.pointee.sin6_addr) { inet_ntop(AF_INET6, $0, &buffer, socklen_t(buffer.count)) }
            }
        } else {
            return nil
        }
        guard result != nil else { return nil }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private struct Address {
        var ipv6: Bool
        var v4 = in_addr()
        var v6 = in6_addr()
    }

    private static func resolve(_ host: String) throws -> Address {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var address = Address(ipv6: false)
        if inet_pton(AF_INET, literal, &address.v4) == 1 { return address }
        address.ipv6 = true
        if inet_pton(AF_INET6, literal, &address.v6) == 1 { return address }
        throw error("bad_address", "cannot listen on \"\(host)\": not a numeric IPv4 or IPv6 address", nil)
    }

    private static func bind4(_ fd: Int32, _ addr: in_addr, _ port: UInt16) -> Int32 {
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr = addr
        return withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    private static func bind6(_ fd: Int32, _ addr: in6_addr, _ port: UInt16) -> Int32 {
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        sin6.sin6_addr = addr
        return withUnsafePointer(to: &sin6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    private static func describe(_ code: Int32) -> String {
        switch code {
        case EADDRINUSE: return "address already in use"
        case EACCES: return "permission denied"
        case EADDRNOTAVAIL: return "address not available on this machine"
        default: return String(cString: strerror(code))
        }
    }

    private static func error(_ code: String, _ message: String, _ errno: Int32?) -> HTTPServerError {
        HTTPServerError(code: code, message: message, errno: errno)
    }
}
