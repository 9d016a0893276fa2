import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A response as read off the wire.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

enum RawClientError: Error { case connect(Int32), closed, malformed(String) }

/// A tiny HTTP/1.1 client over a blocking TCP socket, so the tests exercise real bytes.
final class RawConnection {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16, host: String = "127.0.0.1", timeoutSeconds: Int = 5) throws {
        let ipv6 = host.contains(":")
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if ipv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &sin6.sin6_addr)
            result = withUnsafePointer(to: &sin6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &sin.sin_addr)
            result = withUnsafePointer(to: &sin) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result != 0 {
            let code = errno
            close(fd)
            throw RawClientError.connect(code)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Sends one chunk of a chunked body (an empty one ends the body).
    func sendChunk(_ bytes: [UInt8]) {
        send(String(bytes.count, radix: 16) + "\r\n")
        send(bytes + Array("\r\n".utf8))
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { throw RawClientError.closed }
        buffer.append(contentsOf: chunk[..<n])
    }

    private func line() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var bytes = Array(buffer[..<i])
                buffer.removeFirst(i + 1)
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
            try fill()
        }
    }

    private func bytes(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads one response; `head` for answers to HEAD (no body) and to read a "100 Continue".
    func readResponse(head: Bool = false) throws -> RawResponse {
        var statusLine = try line()
        while !head && statusLine.hasPrefix("HTTP/1.1 100") { _ = try line(); statusLine = try line() }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw RawClientError.malformed(statusLine) }
        var headers: [(String, String)] = []
        while true {
            let l = try line()
            if l.isEmpty { break }
            guard let colon = l.firstIndex(of: ":") else { throw RawClientError.malformed(l) }
            headers.append((String(l[..<colon]), l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(status: status, headers: headers, body: [])
        if head { return response }
        if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while true {
                guard let size = Int(try line().split(separator: ";")[0], radix: 16) else { throw RawClientError.malformed("chunk") }
                if size == 0 { _ = try line(); break }
                response.body += try bytes(size)
                _ = try line()
            }
        } else if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try bytes(length)
        }
        return response
    }

    /// True when the server closed the connection (EOF) within the receive timeout.
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}

/// Sends a whole request on a fresh connection and reads the answer.
func roundTrip(_ port: UInt16, _ raw: String) throws -> RawResponse {
    let connection = try RawConnection(port: port)
    connection.send(raw)
    return try connection.readResponse()
}
