import Foundation

/// One outbox row as the metrics need it.
public struct OutboxEntry: Sendable, Equatable {
    public var status: OutboxStatus
    public var attempts: Int
    public var createdAt: Date

    public init(status: OutboxStatus, attempts: Int, createdAt: Date) {
        self.status = status; self.attempts = attempts; self.createdAt = createdAt
    }
}

/// Delivery state for `/metrics`: events waiting, failed attempts so far on them, dead events,
/// and the age of the oldest waiting event (0 when none wait).
public struct OutboxStats: Sendable, Equatable {
    public var pending: Int
    public var dead: Int
    /// Failed attempts summed over pending and dead events.
    public var failedAttempts: Int
    public var oldestPendingAgeSeconds: Double

    public init(pending: Int = 0, dead: Int = 0, failedAttempts: Int = 0, oldestPendingAgeSeconds: Double = 0) {
        self.pending = pending; self.dead = dead; self.failedAttempts = failedAttempts
        self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
    }

    /// Summarizes `entries` at `now`.
    public init(_ entries: [OutboxEntry], now: Date) {
        self.init()
        for e in entries {
            switch e.status {
            case .delivered: continue
            case .dead: dead += 1
            case .pending:
                pending += 1
                oldestPendingAgeSeconds = max(oldestPendingAgeSeconds, now.timeIntervalSince(e.createdAt))
            }
            failedAttempts += e.attempts
        }
    }

    /// True when an HTTP status from the receiver counts as delivered (any 2xx). Everything
    /// else, including 4xx, is retried: delivery is at least once and a misconfigured receiver
    /// may be fixed before the attempts run out.
    public static func isDelivered(httpStatus: Int) -> Bool { (200..<300).contains(httpStatus) }
}
