import Foundation
import IntakeCore

/// The scheduling code's timestamps: RFC 3339 as `IntakeCore.RFC3339` reads and writes it
/// (strict: impossible dates such as "February 30" or "24:00" are refused, not rolled over).
enum Timestamps {
    /// Parses `2026-03-03T09:00:00-05:00`, `...Z`, `...T14:00:00.250Z`.
    static func parse(_ text: String) -> Date? { RFC3339.parse(text) }

    /// `2026-03-03T14:00:00.000Z`.
    static func format(_ date: Date) -> String { RFC3339.format(date) }
}
