import Foundation

/// Exponential backoff with full jitter for webhook deliveries: after failed attempt `n`
/// (1-based) the next try waits a uniformly random time in `[0, min(cap, base * 2^(n-1))]`;
/// after `maxAttempts` failures the event is dead. The random source is injected so tests
/// and replays are deterministic.
public struct RetryPolicy: Sendable, Equatable {
    /// Ceiling of the first delay, in seconds.
    public var base: TimeInterval
    /// Largest ceiling any delay may have, in seconds.
    public var cap: TimeInterval
    /// Failed attempts after which the event is marked dead.
    public var maxAttempts: Int

    /// Defaults: 2 s base, 1 h cap, 15 attempts (about a day of retrying at the cap).
    public init(base: TimeInterval = 2, cap: TimeInterval = 3600, maxAttempts: Int = 15) {
        self.base = max(0, base); self.cap = max(0, cap); self.maxAttempts = max(1, maxAttempts)
    }

    /// What to store after a failed delivery.
    public enum Outcome: Sendable, Equatable {
        /// Try again at this time.
        case retry(at: Date)
        /// Give up: mark the outbox row `dead`.
        case dead
    }

    /// The ceiling of the delay after failed attempt `attempts` (1-based).
    public func ceiling(afterAttempt attempts: Int) -> TimeInterval {
        let exponent = Double(max(0, attempts - 1))
        // 2^exponent overflows to +inf for huge exponents; min() keeps the cap.
        return min(cap, base * pow(2, exponent))
    }

    /// The outcome after failed attempt number `attempts` (the stored count including this one).
    public func afterFailure<R: RandomNumberGenerator>(attempts: Int, now: Date, random: inout R) -> Outcome {
        guard attempts < maxAttempts else { return .dead }
        let ceiling = ceiling(afterAttempt: attempts)
        let delay = ceiling > 0 ? Double.random(in: 0...ceiling, using: &random) : 0
        return .retry(at: now.addingTimeInterval(delay))
    }
}

/// SplitMix64: a small, seedable random source for deterministic schedules in tests.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
