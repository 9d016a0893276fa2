import Foundation
@_spi(Testing) import Store
import XCTest

/// A fresh database file in a temporary directory, removed by `tearDown`.
class StoreTestCase: XCTestCase {
    var directory: URL!
    var path: String { directory.appendingPathComponent("intake.db").path }
    let key: [UInt8] = Array("test-audit-key-0123456789abcdef".utf8)

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("store-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func open() throws -> Store { try Store(path: path, auditKey: key) }
}

let t0 = "2026-03-02T19:05:00.000Z"

func conversation(_ id: String, status: String = "open", at: String = t0) -> ConversationRecord {
    ConversationRecord(id: id, channel: "chat", createdAt: at, updatedAt: at, stateJSON: "{}", status: status)
}

func message(_ conv: String, _ id: String, text: String = "hello", decisionID: String? = nil) -> MessageRecord {
    MessageRecord(conversationID: conv, messageID: id, channel: "chat", text: text, textSHA256: "sha-\(text)",
                  sentAt: t0, receivedAt: t0, decisionID: decisionID, responseJSON: "{\"r\":\"\(id)\"}")
}

func decision(_ id: String, conv: String, msg: String, at: String = t0) -> DecisionRecord {
    DecisionRecord(id: id, conversationID: conv, messageID: msg, createdAt: at, route: "automate",
                   action: "reply", intent: "greeting", rulesVersion: "sha256:abc", json: "{\"id\":\"\(id)\"}")
}

/// Records one conversation turn: conversation, message and decision, as the ingest path does.
@Sendable func recordTurn(_ tx: WriteTransaction, conv: String, msg: String, at: String = t0) throws {
    try tx.upsertConversation(conversation(conv, at: at))
    try tx.insertMessage(message(conv, msg, decisionID: "dec_\(conv)_\(msg)"))
    try tx.insertDecision(decision("dec_\(conv)_\(msg)", conv: conv, msg: msg, at: at))
}

/// Collects results from completions on the writer thread.
final class Collector<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ x: T) { lock.lock(); items.append(x); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Occupies the writer with a job that blocks until the returned semaphore is signalled, and
/// returns once that job is running: jobs queued meanwhile all land in the next batch.
func holdWriter(_ store: Store, done: DispatchGroup? = nil) -> DispatchSemaphore {
    let gate = DispatchSemaphore(value: 0)
    let running = DispatchSemaphore(value: 0)
    done?.enter()
    store.write({ _ in running.signal(); gate.wait() }, completion: { _ in done?.leave() })
    running.wait()
    return gate
}
