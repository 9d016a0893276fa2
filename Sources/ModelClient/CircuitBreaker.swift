import Foundation

/// A circuit breaker as a value-type state machine: no clock, no I/O; the caller passes the
/// time in. Closed → (failureThreshold consecutive failures) → open → (openSeconds later, one
/// probe call) → half-open → closed on success, open again on failure.
public struct CircuitBreaker: Sendable, Equatable {
    /// Tuning.
    public struct Settings: Sendable, Equatable {
        /// Consecutive failures that open the breaker.
        public var failureThreshold: Int
        /// How long the breaker stays open before one probe is let through.
        public var openSeconds: Double
        public init(failureThreshold: Int = 3, openSeconds: Double = 30) {
            self.failureThreshold = max(1, failureThreshold); self.openSeconds = openSeconds
        }
    }

    /// Where the breaker is.
    public enum State: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: Date)
        /// One probe call is in flight; others are rejected until it ends.
        case halfOpen
    }

    /// What to do with a call.
    public enum Admission: Sendable, Equatable {
        /// Call normally.
        case call
        /// Call as the single probe of a half-open breaker.
        case probe
        /// Do not call.
        case reject
    }

    /// The tuning this breaker runs with.
    public let settings: Settings
    /// Where the breaker is now.
    public private(set) var state: State = .closed(failures: 0)

    public init(settings: Settings = .init()) { self.settings = settings }

    /// Decides whether a call may go out at `now`, moving open → half-open when it is time.
    public mutating func admit(now: Date) -> Admission {
        switch state {
        case .closed: return .call
        case .halfOpen: return .reject
        case .open(let until):
            guard now >= until else { return .reject }
            state = .halfOpen
            return .probe
        }
    }

    /// Records the end of an admitted call.
    public mutating func record(success: Bool, now: Date) {
        switch (state, success) {
        case (_, true):
            state = .closed(failures: 0)
        case (.closed(let n), false) where n + 1 < settings.failureThreshold:
            state = .closed(failures: n + 1)
        case (.closed, false), (.halfOpen, false):
            state = .open(until: now.addingTimeInterval(settings.openSeconds))
        case (.open, false):
            // A call admitted before the breaker opened ended late: it stays open as it is.
            break
        }
    }
}
