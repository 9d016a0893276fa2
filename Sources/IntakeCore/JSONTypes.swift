import Foundation

/// Type tests for values out of `JSONSerialization`, where numbers and booleans both arrive
/// as NSNumber and `is Bool` / `is Int` are true for either.
public enum JSONTypes {
    /// True for JSON `true`/`false`.
    public static func isBoolean(_ value: Any) -> Bool {
        guard let n = value as? NSNumber else { return false }
        // Foundation boxes JSON booleans as a distinct NSNumber subclass whose type code is 'c'.
        return type(of: n) == type(of: NSNumber(value: true)) || String(cString: n.objCType) == "c"
    }

    /// The number of a JSON number (not a boolean).
    public static func number(_ value: Any) -> Double? {
        guard let n = value as? NSNumber, !isBoolean(value) else { return nil }
        return n.doubleValue
    }

    /// The whole number of a JSON number (not a boolean, no fraction).
    public static func integer(_ value: Any) -> Int? {
        guard let d = number(value), d.rounded() == d, abs(d) < 9e15 else { return nil }
        return Int(d)
    }
}
