import Foundation
import IntakeCore

/// A key that presented a valid token.
public struct AuthenticatedKey: Sendable, Equatable {
    public var name: String
    public var scopes: Set<Scope>

    public func allows(_ scope: Scope) -> Bool { scopes.contains(.admin) || scopes.contains(scope) }
}

/// Bearer-token authentication against SHA-256 hashes of tokens (config keys and stored keys).
/// Tokens themselves are never stored or logged.
public final class Authenticator: @unchecked Sendable {
    // Guarded by `lock`: keys can be added at run time (first-start admin key).
    private let lock = NSLock()
    private var byHash: [String: AuthenticatedKey] = [:]

    public init() {}

    /// Adds a key by the hex SHA-256 of its token.
    public func add(name: String, sha256: String, scopes: Set<Scope>) {
        lock.withLock { byHash[sha256.lowercased()] = AuthenticatedKey(name: name, scopes: scopes) }
    }

    public var isEmpty: Bool { lock.withLock { byHash.isEmpty } }

    /// The key for an `Authorization` header value, or nil.
    public func authenticate(header: String?) -> AuthenticatedKey? {
        guard let header, header.utf8.count < 512 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1].trimmingOptionalWhitespace)
        guard !token.isEmpty else { return nil }
        // Lookup by hash: the table holds only hashes, so timing reveals nothing about tokens.
        let hash = Digest.sha256Hex(token)
        return lock.withLock { byHash[hash] }
    }

    /// A new random token (`itk_` + 48 hex digits) and its hash.
    public static func newToken() -> (token: String, sha256: String) {
        let token = "itk_" + Digest.hex(Digest.randomBytes(24))
        return (token, Digest.sha256Hex(token))
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace around header
    /// values), by bytes: Foundation's `trimmingCharacters` cost more than the rest of routing.
    var trimmingOptionalWhitespace: Substring {
        let bytes = utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start = bytes.index(after: start) }
        while end > start {
            let last = bytes.index(before: end)
            guard bytes[last] == 32 || bytes[last] == 9 else { break }
            end = last
        }
        return self[start..<end]
    }
}
