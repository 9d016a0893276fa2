import Foundation
import IntakeCore
import Voice

/// What the daemon answers to one call event.
struct CallAnswer: Sendable {
    /// 200 for answers; an error status for refused events.
    var status: Int
    /// The JSON answer (the `/v1/messages` response shape plus `say`, `transfer`, `seq`, `action`).
    var body: [UInt8]
    /// What the IVR speaks.
    var say: String
    var action: String
    var transfer: CallTransfer?
    /// The call is over (hangup, limit, or transferred).
    var ended: Bool
    var language: String

    static func error(_ e: APIError, seq: Int?) -> CallAnswer {
        var object: [String: Any] = ["error": e.object]
        if let seq { object["seq"] = seq }
        return CallAnswer(status: e.status, body: JSON.bytes(object), say: "", action: "error", transfer: nil, ended: false, language: "en")
    }
}

/// A hand-over to a person.
struct CallTransfer: Sendable, Equatable {
    var queue: String
    var escalationID: String?
    var reason: String
}

/// A listener on a call's answers: the `GET /v1/calls/{id}/events` stream.
protocol CallListener: AnyObject, Sendable {
    func deliver(_ answer: CallAnswer)
    func callEnded()
}

/// Calls in progress. Events of one call are processed one at a time and in order of arrival,
/// because a final segment's decision (committed to the store) must precede the next event;
/// different calls proceed in parallel.
final class CallDesk: @unchecked Sendable {
    /// One call's state. Every field is guarded by `CallDesk.lock`.
    final class Entry: @unchecked Sendable {
        var session: CallSession
        var answers: [Int: CallAnswer] = [:]
        var listeners: [ObjectIdentifier: any CallListener] = [:]
        var waiting: [@Sendable (@escaping @Sendable () -> Void) -> Void] = []
        var running = false
        var lastActivity: Date
        var events = 0
        var errors = 0
        var decisions = 0
        var transfer: CallTransfer?
        var language = "en"
        init(now: Date) { session = CallSession(startedAt: now); lastActivity = now }
    }

    // Guards `calls` and every Entry's fields.
    private let lock = NSLock()
    private var calls: [String: Entry] = [:]
    let maxCalls: Int

    init(maxCalls: Int) { self.maxCalls = maxCalls }

    /// The entry for a call, created on first use and filled in by `restore` (from the store,
    /// outside the lock, while no other thread can see the new entry); nil when the
    /// concurrent-call limit is reached.
    func entry(_ callID: String, now: Date, restore: (Entry) -> Void) -> Entry? {
        if let e = lock.withLock({ calls[callID] }) { return e }
        let fresh = Entry(now: now)
        restore(fresh)
        return lock.withLock {
            if let e = calls[callID] { return e }  // made meanwhile by another event of the call
            if fresh.session.status == .active {
                let active = calls.values.filter { $0.session.status == .active }.count
                guard active < maxCalls else { return nil }
            }
            calls[callID] = fresh
            return fresh
        }
    }

    /// Runs `job` with the entry's state under the desk lock.
    func withEntry<T>(_ e: Entry, _ body: (Entry) -> T) -> T { lock.withLock { body(e) } }

    /// Queues `job` for the call; it runs when the call's previous jobs have finished and must
    /// call its `done` argument exactly once.
    func enqueue(_ e: Entry, _ job: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void) {
        let startNow: Bool = lock.withLock {
            if e.running { e.waiting.append(job); return false }
            e.running = true
            return true
        }
        if startNow { run(e, job) }
    }

    private func run(_ e: Entry, _ job: @escaping @Sendable (@escaping @Sendable () -> Void) -> Void) {
        job { [self] in
            let next: (@Sendable (@escaping @Sendable () -> Void) -> Void)? = lock.withLock {
                if e.waiting.isEmpty { e.running = false; return nil }
                return e.waiting.removeFirst()
            }
            if let next { run(e, next) }
        }
    }

    /// Sends an answer to the call's listeners; closes them when the call ended.
    func broadcast(_ e: Entry, _ answer: CallAnswer) {
        let listeners = lock.withLock { Array(e.listeners.values) }
        for l in listeners {
            l.deliver(answer)
            if answer.ended { l.callEnded() }
        }
        if answer.ended { lock.withLock { e.listeners.removeAll() } }
    }

    func addListener(_ e: Entry, _ l: any CallListener) -> Bool {
        lock.withLock {
            guard e.session.status == .active else { return false }
            e.listeners[ObjectIdentifier(l)] = l
            return true
        }
    }

    func removeListener(_ e: Entry, _ l: any CallListener) {
        _ = lock.withLock { e.listeners.removeValue(forKey: ObjectIdentifier(l)) }
    }

    /// Forgets calls that ended or went quiet longer than `idleSeconds`.
    func sweep(now: Date, idleSeconds: Double) {
        lock.withLock {
            calls = calls.filter { _, e in
                e.running || !e.listeners.isEmpty || now.timeIntervalSince(e.lastActivity) < idleSeconds
            }
        }
    }

    var activeCalls: Int { lock.withLock { calls.values.filter { $0.session.status == .active }.count } }
}
