import Foundation

/// Identifiers with a readable prefix, ordered by creation time: `dec_0193f2a4c1e7_9c1f...`.
/// The leading 12 hex digits are the creation time in milliseconds, the rest 64 random bits.
/// Time-ordered ids land at the end of their SQLite index instead of on a random page, so a
/// batch commit writes a few pages rather than one per row.
public enum IDs {
    public static func make(_ prefix: String) -> String {
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        let time = String(millis, radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - time.count)) + time
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next(), radix: 16)
        return prefix + "_" + padded + String(repeating: "0", count: 16 - suffix.count) + suffix
    }
}
