import Foundation

/// Counters and a latency histogram, rendered in the Prometheus text format.
/// Labels carry codes only (status, route, action, intent), never patient data.
public final class Metrics: @unchecked Sendable {
    // Guarded by `lock`; increments come from MHD and writer threads.
    private let lock = NSLock()
    private var requests: [String: Int] = [:]          // "method|status"
    private var decisions: [String: Int] = [:]         // "route|action|intent"
    private var buckets = [Int](repeating: 0, count: Metrics.bounds.count)
    private var latencyCount = 0
    private var latencySum = 0.0
    private var gauges: [String: @Sendable () -> Double] = [:]
    private var counters: [String: Int] = [:]

    /// Upper bounds of the latency histogram, in seconds.
    static let bounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public init() {}

    /// The methods counted under their own name; any other token a client sends is `other`,
    /// so a client cannot grow the series without bound or break the exposition's quoting.
    static let countedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    public func observeRequest(method: String, status: Int, seconds: Double) {
        let label = Self.countedMethods.contains(method) ? method : "other"
        lock.withLock {
            requests["\(label)|\(status)", default: 0] += 1
            latencyCount += 1
            latencySum += seconds
            if let i = Metrics.bounds.firstIndex(where: { seconds <= $0 }) { buckets[i] += 1 }
        }
    }

    public func observeDecision(route: String, action: String, intent: String) {
        lock.withLock { decisions["\(route)|\(action)|\(intent)", default: 0] += 1 }
    }

    /// Increments a plain counter, e.g. `intake_rule_reloads_total{result="ok"}`.
    public func increment(_ series: String) {
        lock.withLock { counters[series, default: 0] += 1 }
    }

    /// Registers a gauge read at scrape time.
    public func gauge(_ name: String, _ read: @escaping @Sendable () -> Double) {
        lock.withLock { gauges[name] = read }
    }

    /// The Prometheus text exposition.
    public func render() -> String {
        let (requests, decisions, buckets, count, sum, gauges, counters) = lock.withLock {
            (self.requests, self.decisions, self.buckets, latencyCount, latencySum, self.gauges, self.counters)
        }
        var out = "# HELP intake_http_requests_total HTTP requests by method and status.\n# TYPE intake_http_requests_total counter\n"
        for (k, v) in requests.sorted(by: { $0.key < $1.key }) {
            let p = k.split(separator: "|")
            out += "intake_http_requests_total{method=\"\(p[0])\",status=\"\(p[1])\"} \(v)\n"
        }
        out += "# HELP intake_decisions_total Recorded decisions by route, action and intent.\n# TYPE intake_decisions_total counter\n"
        for (k, v) in decisions.sorted(by: { $0.key < $1.key }) {
            let p = k.split(separator: "|")
            out += "intake_decisions_total{route=\"\(p[0])\",action=\"\(p[1])\",intent=\"\(p[2])\"} \(v)\n"
        }
        out += "# HELP intake_http_request_duration_seconds Time from request start to response.\n# TYPE intake_http_request_duration_seconds histogram\n"
        var cumulative = 0
        for (i, bound) in Metrics.bounds.enumerated() {
            cumulative += buckets[i]
            out += "intake_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "intake_http_request_duration_seconds_bucket{le=\"+Inf\"} \(count)\n"
        out += "intake_http_request_duration_seconds_sum \(sum)\nintake_http_request_duration_seconds_count \(count)\n"
        var typed: Set<Substring> = []
        for (series, v) in counters.sorted(by: { $0.key < $1.key }) {
            // One TYPE line per metric, before its first series (the series of a name sort together).
            let name = series.prefix { $0 != "{" }
            if typed.insert(name).inserted { out += "# TYPE \(name) counter\n" }
            out += "\(series) \(v)\n"
        }
        for (name, read) in gauges.sorted(by: { $0.key < $1.key }) {
            out += "# TYPE \(name) gauge\n\(name) \(read())\n"
        }
        return out
    }
}
