import Foundation
import Handoff
import IntakeCore
import Store
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers the outbox to the `[webhook]` receiver: polls for due events on its own queue,
/// POSTs each with the contract's signature, marks it delivered on a 2xx, otherwise schedules
/// a retry with `RetryPolicy` (exponential backoff, full jitter) or marks it dead after the
/// last attempt. All state is in the store, so a restart resumes where the last run stopped;
/// an event whose delivery was cut short by a stop is simply sent again (at least once, with
/// the same event id). Never runs on HTTP server threads.
final class OutboxDispatcher: @unchecked Sendable {
    /// Delivery settings, from `[webhook]`.
    struct Settings: Sendable {
        var url: URL
        var secret: [UInt8]
        var retry: RetryPolicy
        var pollInterval: TimeInterval
        var timeout: TimeInterval
        /// Events sent concurrently per round.
        var batch = 16
    }

    private let settings: Settings
    private let store: Store
    private let metrics: Metrics
    private let log: Log
    private let clock: any Clock
    private let queue = DispatchQueue(label: "intake.outbox")
    private let session: URLSession
    // Guarded by `lock`: the timer, whether a round is running, stopping, and the cached stats.
    private let lock = NSLock()
    private var timer: DispatchSourceTimer?
    private var roundRunning = false
    private var stopping = false
    private var stats = OutboxCounts(pending: 0, delivered: 0, dead: 0, oldestPendingCreatedAt: nil)
    private let roundDone = DispatchGroup()

    init(settings: Settings, store: Store, metrics: Metrics, log: Log, clock: any Clock = SystemClock()) {
        self.settings = settings; self.store = store; self.metrics = metrics; self.log = log; self.clock = clock
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = settings.timeout
        config.timeoutIntervalForResource = settings.timeout
        config.httpMaximumConnectionsPerHost = settings.batch
        session = URLSession(configuration: config)
        metrics.gauge("intake_outbox_pending") { [weak self] in Double(self?.cached.pending ?? 0) }
        metrics.gauge("intake_outbox_dead") { [weak self] in Double(self?.cached.dead ?? 0) }
        metrics.gauge("intake_outbox_delivered") { [weak self] in Double(self?.cached.delivered ?? 0) }
        metrics.gauge("intake_outbox_oldest_age_seconds") { [weak self] in self?.oldestAge() ?? 0 }
    }

    private var cached: OutboxCounts { lock.withLock { stats } }

    private func oldestAge() -> Double {
        guard let text = cached.oldestPendingCreatedAt, let date = RFC3339.parse(text) else { return 0 }
        return max(0, clock.now().timeIntervalSince(date))
    }

    /// Starts polling.
    func start() {
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now(), repeating: settings.pollInterval)
        t.setEventHandler { [weak self] in self?.round() }
        lock.withLock { timer = t }
        t.resume()
    }

    /// Stops polling and waits up to `timeout` seconds for deliveries in flight to be recorded.
    /// Call before the store closes.
    func stop(timeout: TimeInterval = 5) {
        let t = lock.withLock { () -> DispatchSourceTimer? in stopping = true; defer { timer = nil }; return timer }
        t?.cancel()
        _ = roundDone.wait(timeout: .now() + timeout)
        session.invalidateAndCancel()
    }

    /// One round: refresh the stats, send what is due, record the outcomes. Rounds do not overlap.
    private func round() {
        let begin = lock.withLock { () -> Bool in
            guard !roundRunning, !stopping else { return false }
            roundRunning = true
            return true
        }
        guard begin else { return }
        roundDone.enter()
        let due: [OutboxRecord]
        do {
            let now = RFC3339.format(clock.now())
            let (counts, rows) = try store.read { tx in (try tx.outboxStats(), try tx.dueOutbox(now: now, limit: settings.batch)) }
            lock.withLock { stats = counts }
            due = rows
        } catch {
            return finishRound()
        }
        guard !due.isEmpty else { return finishRound() }
        let group = DispatchGroup()
        for row in due {
            group.enter()
            deliver(row) { group.leave() }
        }
        group.notify(queue: queue) { [self] in finishRound() }
    }

    private func finishRound() {
        lock.withLock { roundRunning = false }
        roundDone.leave()
    }

    /// POSTs one event and records the outcome; `done` runs after the store has it.
    private func deliver(_ row: OutboxRecord, done: @escaping @Sendable () -> Void) {
        let body = Data(row.payloadJSON.utf8)
        var request = URLRequest(url: settings.url)
        request.httpMethod = "POST"
        request.httpBody = body
        var headers = WebhookSigner.sign(body: body, secret: settings.secret, timestamp: clock.now())
        headers["Content-Type"] = "application/json"
        headers[WebhookSigner.eventIDHeader] = row.eventID
        headers[WebhookSigner.eventTypeHeader] = row.type
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        session.dataTask(with: request) { [self] _, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode
            if let status, (200..<300).contains(status) {
                record(row, failure: nil, done: done)
            } else {
                // The error names the status or the transport problem; never the payload.
                record(row, failure: status.map { "http \($0)" } ?? "transport: \((error as NSError?)?.code ?? 0)", done: done)
            }
        }.resume()
    }

    private func record(_ row: OutboxRecord, failure: String?, done: @escaping @Sendable () -> Void) {
        guard let id = row.id else { return done() }
        let now = clock.now()
        let retry = settings.retry
        let attempts = row.attempts + 1
        if failure == nil {
            metrics.increment("intake_outbox_delivered_total")
        } else {
            metrics.increment("intake_outbox_failed_attempts_total")
        }
        store.write({ tx in
            guard let failure else { return try tx.markOutboxDelivered(id: id, at: RFC3339.format(now)) }
            var random = SystemRandomNumberGenerator()
            switch retry.afterFailure(attempts: attempts, now: now, random: &random) {
            case .retry(let at):
                return try tx.markOutboxFailed(id: id, attempts: attempts, nextAttemptAt: RFC3339.format(at), error: failure, dead: false)
            case .dead:
                return try tx.markOutboxFailed(id: id, attempts: attempts, nextAttemptAt: RFC3339.format(now), error: failure, dead: true)
            }
        }, completion: { [log] result in
            if failure != nil, attempts >= retry.maxAttempts {
                log(.error, "webhook_dead", [("event_id", row.eventID), ("type", row.type), ("attempts", String(attempts))])
            }
            if case .failure = result { log(.error, "outbox_update_failed", [("event_id", row.eventID)]) }
            done()
        })
    }
}

extension OutboxDispatcher {
    /// The dispatcher for `[webhook]`, or nil without one. Throws `DaemonError` when the secret
    /// cannot be read: unsigned deliveries would break the contract.
    static func make(config: Config, store: Store, metrics: Metrics, log: Log) throws -> OutboxDispatcher? {
        guard let w = config.webhook else { return nil }
        guard let url = URL(string: w.url) else { throw DaemonError("[webhook] url is not a URL") }
        guard let file = w.secretFile else { throw DaemonError("[webhook] needs 'secret_file' (deliveries are signed)") }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              case let secret = text.trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw DaemonError("cannot read a webhook secret from \(file) ([webhook] secret_file)")
        }
        let retry = RetryPolicy(base: Double(w.retryBaseMs) / 1000, cap: Double(w.retryCapMs) / 1000, maxAttempts: w.maxAttempts)
        return OutboxDispatcher(settings: Settings(url: url, secret: Array(secret.utf8), retry: retry,
                                                   pollInterval: Double(w.pollMs) / 1000, timeout: Double(w.timeoutMs) / 1000),
                                store: store, metrics: metrics, log: log)
    }
}
