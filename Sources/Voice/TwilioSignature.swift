import Foundation
import IntakeCore

/// Twilio's request signature: Base64(HMAC-SHA1(auth token, URL + each POST parameter's name
/// and value, sorted by name)), sent as `X-Twilio-Signature`.
public enum TwilioSignature {
    /// The expected signature for a request to `url` with form `parameters`.
    public static func compute(authToken: String, url: String, parameters: [(String, String)]) -> String {
        var data = url
        for (name, value) in parameters.sorted(by: { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }) {
            data += name + value
        }
        let mac = Digest.hmacSHA1(key: Array(authToken.utf8), message: Array(data.utf8))
        return Data(mac).base64EncodedString()
    }

    /// True when `signature` matches, compared in constant time.
    public static func verify(authToken: String, url: String, parameters: [(String, String)], signature: String) -> Bool {
        let expected = compute(authToken: authToken, url: url, parameters: parameters)
        return Digest.constantTimeEqual(Array(expected.utf8), Array(signature.utf8))
    }
}
