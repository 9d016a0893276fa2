import Foundation

/// A token bucket per API key: `rate` requests a second on average, bursts up to `burst`.
/// Checked with the request head, so a throttled request is answered 429 before its body is read.
final class RateLimiter: @unchecked Sendable {
    let rate: Double
    let burst: Double
    private let now: @Sendable () -> Double
    // Guards `buckets`.
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, at: Double)] = [:]

    init(rate: Double, burst: Double, now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.rate = rate; self.burst = max(burst, 1); self.now = now
    }

    /// Nil when `key` may go on; otherwise the seconds to wait before a token is available.
    func admit(_ key: String) -> Int? {
        let t = now()
        return lock.withLock {
            var b = buckets[key] ?? (burst, t)
            b.tokens = min(burst, b.tokens + (t - b.at) * rate)
            b.at = t
            if b.tokens >= 1 {
                b.tokens -= 1
                buckets[key] = b
                return nil
            }
            buckets[key] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }
}
