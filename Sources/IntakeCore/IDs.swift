import Foundation

/// Identifiers with a readable prefix, ordered by creation time: `dec_0193f2a4c1e7_9c1f...`.
/// The leading 12 hex digits are the creation time in milliseconds, the rest 64 random bits.
/// Time-ordered ids land at the end of their SQLite index instead of on a random page, so a
/// batch commit writes a few pages rather than one per row.
public enum IDs {
    public static func make(_ prefix: String) -> String {
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        var random = SystemRandomNumberGenerator()
        let suffix = random.next()
        let prefixBytes = prefix.utf8.count
        // Written as bytes into the string's own storage: one allocation for the whole id.
        return String(unsafeUninitializedCapacity: prefixBytes + 1 + 12 + 16) { out in
            var i = 0
            for b in prefix.utf8 { out[i] = b; i += 1 }
            out[i] = UInt8(ascii: "_"); i += 1
            for shift in stride(from: 44, through: 0, by: -4) { out[i] = hexDigit(millis >> UInt64(shift)); i += 1 }
            for shift in stride(from: 60, through: 0, by: -4) { out[i] = hexDigit(suffix >> UInt64(shift)); i += 1 }
            return i
        }
    }

    private static func hexDigit(_ v: UInt64) -> UInt8 {
        let n = UInt8(truncatingIfNeeded: v & 0xf)
        return n < 10 ? n + 48 : n + 87
    }
}
