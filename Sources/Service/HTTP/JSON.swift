import Foundation
import IntakeCore

/// JSON helpers over Foundation. Encoding uses sorted keys so stored JSON is stable.
public enum JSON {
    /// Serializes a JSON-compatible value (dictionaries, arrays, strings, numbers, bools, NSNull).
    public static func bytes(_ value: Any) -> [UInt8] {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return Array(#"{"error":{"code":"internal","message":"unencodable response","field":null}}"#.utf8)
        }
        return Array(data)
    }

    /// Encodes a Codable value with sorted keys.
    public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        (try? encoder.encode(value)).map(Array.init) ?? Array("null".utf8)
    }

    /// Encodes a Codable value to a String.
    public static func string<T: Encodable>(_ value: T) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Decodes a Codable value from stored JSON text.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

/// Reads fields from a parsed JSON object with errors that name the field.
struct JSONObject {
    let dict: [String: Any]
    let prefix: String

    /// Parses `body` as a JSON object, or fails with 400.
    static func parse(_ body: [UInt8]) throws(APIError) -> JSONObject {
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .malformed("the body is not valid UTF-8")
        }
        guard let any = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            throw .malformed("the body is not valid JSON")
        }
        guard let dict = any as? [String: Any] else { throw .malformed("the body must be a JSON object") }
        return JSONObject(dict: dict, prefix: "")
    }

    private func name(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    func has(_ key: String) -> Bool { dict[key] != nil && !(dict[key] is NSNull) }

    /// A string field; nil when absent or null.
    func string(_ key: String, maxLength: Int = 256) throws(APIError) -> String? {
        guard let raw = dict[key], !(raw is NSNull) else { return nil }
        guard let s = raw as? String else { throw .malformed("'\(name(key))' must be a string", field: name(key)) }
        guard s.utf8.count <= maxLength else {
            throw .invalid("'\(name(key))' is longer than \(maxLength) bytes", field: name(key))
        }
        return s
    }

    func requiredString(_ key: String, maxLength: Int = 256) throws(APIError) -> String {
        guard let s = try string(key, maxLength: maxLength) else { throw .missing(name(key)) }
        return s
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let raw = dict[key], !(raw is NSNull) else { return nil }
        // NSNumber bridges both numbers and booleans; only accept real booleans.
        guard JSONTypes.isBoolean(raw), let n = raw as? NSNumber else {
            throw .malformed("'\(name(key))' must be true or false", field: name(key))
        }
        return n.boolValue
    }

    func object(_ key: String) throws(APIError) -> JSONObject? {
        guard let raw = dict[key], !(raw is NSNull) else { return nil }
        guard let d = raw as? [String: Any] else { throw .malformed("'\(name(key))' must be an object", field: name(key)) }
        return JSONObject(dict: d, prefix: name(key))
    }
}
