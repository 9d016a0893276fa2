import Foundation

/// A source of the current time, injected into anything with timeouts or deadlines so tests
/// can drive time by hand instead of sleeping.
public protocol Clock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Date { Date() }
}
