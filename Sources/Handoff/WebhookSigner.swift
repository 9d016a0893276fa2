import Foundation
import IntakeCore

/// Signs and verifies webhook bodies. The contract's header is
/// `X-Intake-Signature: sha256=HEX(HMAC-SHA256(secret, body))`, computed over the body alone.
/// In addition (documented extension) each delivery carries `X-Intake-Event-Id`,
/// `X-Intake-Event`, `X-Intake-Timestamp` (Unix seconds) and
/// `X-Intake-Timestamp-Signature: sha256=HEX(HMAC-SHA256(secret, "<timestamp>." + body))`, so a
/// receiver that wants replay protection can check freshness; receivers that follow the contract
/// only need the first header.
public enum WebhookSigner {
    public static let signatureHeader = "X-Intake-Signature"
    public static let timestampHeader = "X-Intake-Timestamp"
    public static let timestampSignatureHeader = "X-Intake-Timestamp-Signature"
    public static let eventIDHeader = "X-Intake-Event-Id"
    public static let eventTypeHeader = "X-Intake-Event"

    /// `sha256=` + lowercase hex HMAC-SHA256 of `body` under `secret`.
    public static func signature(body: Data, secret: [UInt8]) -> String {
        "sha256=" + Digest.hex(Digest.hmacSHA256(key: secret, message: Array(body)))
    }

    /// The signed, timestamped form: HMAC over `"<unix seconds>." + body`.
    public static func timestampSignature(body: Data, secret: [UInt8], timestamp: Date) -> String {
        let message = Array("\(unixSeconds(timestamp)).".utf8) + Array(body)
        return "sha256=" + Digest.hex(Digest.hmacSHA256(key: secret, message: message))
    }

    /// The signature headers for one delivery of `body` at `timestamp`.
    public static func sign(body: Data, secret: [UInt8], timestamp: Date) -> [String: String] {
        [signatureHeader: signature(body: body, secret: secret),
         timestampHeader: String(unixSeconds(timestamp)),
         timestampSignatureHeader: timestampSignature(body: body, secret: secret, timestamp: timestamp)]
    }

    /// All headers for delivering `event`: content type, event id and type, and signatures.
    public static func headers(for event: WebhookEvent, body: Data, secret: [UInt8], timestamp: Date) -> [String: String] {
        var h = sign(body: body, secret: secret, timestamp: timestamp)
        h["Content-Type"] = "application/json"
        h[eventIDHeader] = event.id
        h[eventTypeHeader] = event.type.rawValue
        return h
    }

    /// Checks a contract signature header value (`sha256=HEX`) in constant time.
    public static func verify(body: Data, secret: [UInt8], signature: String) -> Bool {
        guard signature.hasPrefix("sha256="),
              let given = Digest.fromHex(String(signature.dropFirst(7))) else { return false }
        let expected = Digest.hmacSHA256(key: secret, message: Array(body))
        return Digest.constantTimeEqual(given, expected)
    }

    /// Checks received headers (names matched case-insensitively): the contract signature must
    /// match; when `tolerance` is given, the timestamp signature must match too and the
    /// timestamp must lie within `tolerance` seconds of `now`.
    public static func verify(body: Data, secret: [UInt8], headers: [String: String],
                              now: Date = Date(), tolerance: TimeInterval? = nil) -> Bool {
        let lower = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let sig = lower[signatureHeader.lowercased()], verify(body: body, secret: secret, signature: sig) else {
            return false
        }
        guard let tolerance else { return true }
        guard let ts = lower[timestampHeader.lowercased()], let seconds = Int64(ts),
              let tsSig = lower[timestampSignatureHeader.lowercased()],
              tsSig.hasPrefix("sha256="), let given = Digest.fromHex(String(tsSig.dropFirst(7))) else {
            return false
        }
        let message = Array("\(seconds).".utf8) + Array(body)
        guard Digest.constantTimeEqual(given, Digest.hmacSHA256(key: secret, message: message)) else { return false }
        return abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance
    }

    private static func unixSeconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
