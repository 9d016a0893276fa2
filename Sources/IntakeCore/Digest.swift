import CCrypto
#if canImport(Glibc)
import Glibc
#endif

/// SHA-256 and HMAC-SHA256 over libcrypto. The only place in the code base that touches OpenSSL.
public enum Digest {
    /// SHA-256 of `bytes`.
    public static func sha256<B: Collection<UInt8>>(_ bytes: B) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let input = Array(bytes)
        input.withUnsafeBufferPointer { p in
            _ = EVP_Digest(p.baseAddress, p.count, &out, &length, sha256Algorithm, nil)
        }
        return out
    }

    /// SHA-256 fetched once: OpenSSL 3's one-shot `SHA256()` looks the algorithm up by name
    /// on every call, which cost more than the hashing itself for our short inputs. A fetched
    /// algorithm is immutable and safe to share between threads.
    nonisolated(unsafe) private static let sha256Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// SHA-256 of the UTF-8 bytes of `text`, as lowercase hex.
    public static func sha256Hex(_ text: String) -> String { hex(sha256(Array(text.utf8))) }

    /// HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).mac(message)
    }

    /// HMAC-SHA256 under one key, keyed once: every MAC starts from a copy of the keyed state,
    /// so the algorithm lookup and the key schedule are not redone for each message (the audit
    /// chain MACs every decision under the same key).
    ///
    /// Sendable: the keyed state is never changed after `init`; `mac` only copies it.
    public final class HMACSHA256: @unchecked Sendable {
        private let keyed: OpaquePointer

        public init(key: [UInt8]) {
            guard let ctx = EVP_MAC_CTX_new(Digest.hmacAlgorithm) else { preconditionFailure("EVP_MAC_CTX_new failed") }
            var params = [OSSL_PARAM_construct_utf8_string(Digest.hmacDigestParameter, Digest.hmacDigestName, 0),
                          OSSL_PARAM_construct_end()]
            let ok = key.withUnsafeBufferPointer { EVP_MAC_init(ctx, $0.baseAddress, $0.count, &params) == 1 }
            precondition(ok, "HMAC-SHA256 key setup failed")
            keyed = ctx
        }

        deinit { EVP_MAC_CTX_free(keyed) }

        /// The MAC of `message`.
        public func mac(_ message: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
            guard let ctx = EVP_MAC_CTX_dup(keyed) else { preconditionFailure("EVP_MAC_CTX_dup failed") }
            defer { EVP_MAC_CTX_free(ctx) }
            var length = 0
            let ok = message.withUnsafeBufferPointer { m in
                EVP_MAC_update(ctx, m.baseAddress, m.count) == 1 && EVP_MAC_final(ctx, &out, &length, out.count) == 1
            }
            precondition(ok && length == out.count, "HMAC-SHA256 failed")
            return out
        }
    }

    /// HMAC fetched once, like `sha256Algorithm`: the one-shot `HMAC()` of OpenSSL 3 fetches
    /// the MAC and the digest by name on every call, which cost about ten times the MAC itself.
    nonisolated(unsafe) fileprivate static let hmacAlgorithm: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)
    /// The parameter naming HMAC's digest (C strings that live as long as the process).
    nonisolated(unsafe) fileprivate static let hmacDigestParameter = strdup("digest")
    nonisolated(unsafe) fileprivate static let hmacDigestName = strdup("SHA256")

    /// HMAC-SHA1 of `message` under `key`: only for verifying peers that require it
    /// (Twilio's request signatures); never used for Intake's own integrity.
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                _ = HMAC(EVP_sha1(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// `count` cryptographically random bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&out, Int32(count)) == 1, "RAND_bytes failed")
        return out
    }

    /// Constant-time comparison, for tokens and signatures.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// Lowercase hex of `bytes`.
    public static func hex<B: Sequence<UInt8>>(_ bytes: B) -> String { hex(Array(bytes)) }

    /// Lowercase hex of `bytes`, written into the string's own buffer (digests and MACs are
    /// turned into hex several times for every message).
    public static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = hexDigit(b >> 4)
                out[2 * i + 1] = hexDigit(b & 0xf)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 + v : 87 + v }

    /// Bytes of a hex string, or nil when it is not hex.
    public static func fromHex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}
