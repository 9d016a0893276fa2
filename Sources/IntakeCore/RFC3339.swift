import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 timestamps: parsing with or without fractional seconds, formatting in UTC with
/// milliseconds (the stored form) or in a given time zone. Parsing and UTC formatting are done
/// by hand on the C calendar functions: they run for every message, and Foundation's
/// formatters cost tens of microseconds each to create.
public enum RFC3339 {
    /// Parses `2026-03-02T14:05:00-05:00`, `...Z`, lower-case `t`/`z`, and fractional seconds.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        func expect(_ chars: Set<UInt8>) -> Bool {
            guard i < b.count, chars.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect([45]), let month = digits(2), expect([45]), let day = digits(2),
              expect([84, 116]), let hour = digits(2), expect([58]), let minute = digits(2), expect([58]),
              let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 60 else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { fraction += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            i += 1
            guard let oh = digits(2), expect([58]), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Reject impossible dates (Feb 30) by round-tripping through the calendar.
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(min(second, 59))
        let epoch = timegm(&t)
        guard t.tm_mday == Int32(day), t.tm_mon == Int32(month - 1) else { return nil }
        return Date(timeIntervalSince1970: Double(epoch - offset) + fraction)
    }

    /// `2026-03-02T19:05:00.000Z`.
    public static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int(interval.rounded(.down))
        var millis = Int(((interval - Double(seconds)) * 1000).rounded())
        if millis == 1000 { seconds += 1; millis = 0 }
        var t = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &t)
        // Written into one 24-byte buffer: this runs several times for every message.
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(Int(t.tm_year) + 1900, 4, at: 0); out[4] = 45  // -
            put(Int(t.tm_mon) + 1, 2, at: 5); out[7] = 45
            put(Int(t.tm_mday), 2, at: 8); out[10] = 84  // T
            put(Int(t.tm_hour), 2, at: 11); out[13] = 58  // :
            put(Int(t.tm_min), 2, at: 14); out[16] = 58
            put(Int(t.tm_sec), 2, at: 17); out[19] = 46  // .
            put(millis, 3, at: 20); out[23] = 90  // Z
            return 24
        }
    }

    /// `2026-03-02T14:05:00-05:00` in `zone`.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = zone
        return f.string(from: date)
    }
}
