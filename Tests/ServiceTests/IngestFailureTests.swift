import Foundation
import XCTest
import IntakeCore
import RuleEngine
@_spi(Testing) import Store
@testable import Service

/// A commit that fails answers 503 and records nothing; the same message then succeeds.
final class IngestFailureTests: XCTestCase {
    var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("intake-ingest-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    static var rulesDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("rules").path
    }

    func ingest(_ service: IngestService, _ m: InboundMessage) -> Result<IngestService.Outcome, APIError> {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<IngestService.Outcome, APIError>!
        service.ingest(m) { r in result = r; done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        return result
    }

    func testFailedCommitAnswersUnavailableAndRecordsNothing() throws {
        let store = try Store(path: dir.appendingPathComponent("db.sqlite").path, auditKey: Array(repeating: 7, count: 32))
        defer { store.close() }
        let rules = try RuleSetLoading.load(directory: Self.rulesDir).get()
        let service = IngestService(store: store, rules: RulesHolder(directory: Self.rulesDir, initial: rules), metrics: Metrics(),
                                    timeZone: TimeZone(identifier: "America/New_York")!)
        let m = InboundMessage(conversationID: "c-1", messageID: "m-1", channel: .chat, text: "what are your hours", sentAt: Date())

        store.failNextCommits(1)
        guard case .failure(let error) = ingest(service, m) else { return XCTFail("a failed commit must not answer success") }
        XCTAssertEqual(error.status, 503)
        XCTAssertEqual(error.headers.first { $0.0 == "Retry-After" }?.1, "1")
        try store.read { tx in
            XCTAssertNil(try tx.conversation(id: "c-1"))
            XCTAssertNil(try tx.message(conversationID: "c-1", messageID: "m-1"))
            XCTAssertTrue(try tx.decisions(conversationID: "c-1", since: nil, limit: 10).isEmpty)
        }

        guard case .success(.recorded(_, let decision)) = ingest(service, m) else { return XCTFail("the retry records the decision") }
        try store.read { tx in
            XCTAssertEqual(try tx.decisions(conversationID: "c-1", since: nil, limit: 10).map(\.id), [decision.id])
        }
        XCTAssertTrue(try store.verifyAudit().ok)
    }
}
