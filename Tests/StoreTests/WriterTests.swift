import Foundation
@_spi(Testing) import Store
import XCTest

final class WriterTests: StoreTestCase {
    func testGroupCommitFromManyThreads() throws {
        let store = try open()
        defer { store.close() }
        let failures = Collector<String>()
        let done = DispatchGroup()
        let commitsBefore = store.commitCount
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<125 {
                done.enter()
                store.write({ tx in try recordTurn(tx, conv: "t\(t)", msg: "m\(i)") }, completion: { r in
                    if case .failure(let e) = r { failures.add("\(e)") }
                    done.leave()
                })
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(failures.all, [])
        XCTAssertEqual(store.pendingWrites, 0)
        let commits = store.commitCount - commitsBefore
        XCTAssertEqual(store.committedJobCount, 1000)
        XCTAssertLessThan(commits, 1000, "batches average more than one job")
        XCTAssertGreaterThan(commits, 0)
        try store.read { tx in
            XCTAssertEqual(try tx.decisions(conversationID: nil, since: nil, limit: 5000).count, 1000)
            for t in 0..<8 { XCTAssertEqual(try tx.messages(conversationID: "t\(t)").count, 125) }
        }
        let report = try store.verifyAudit()
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 1000)
    }

    func testFailedCommitFailsTheWholeBatchAndChangesNothing() throws {
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in try recordTurn(tx, conv: "c0", msg: "m0") }
        let headBefore = try store.verifyAudit().headMAC
        let results = Collector<Error?>()
        let done = DispatchGroup()
        let gate = holdWriter(store, done: done)
        store.failNextCommits(1)
        for i in 1...3 {
            done.enter()
            store.write({ tx in try recordTurn(tx, conv: "c1", msg: "m\(i)") }, completion: { r in
                if case .failure(let e) = r { results.add(e) } else { results.add(nil) }
                done.leave()
            })
        }
        gate.signal()
        done.wait()
        XCTAssertEqual(results.all.count, 3)
        for e in results.all { XCTAssertEqual(e as? StoreError, .commitFailed) }
        try store.read { tx in
            XCTAssertNil(try tx.conversation(id: "c1"))
            XCTAssertEqual(try tx.decisions(conversationID: nil, since: nil, limit: 10).count, 1)
        }
        XCTAssertEqual(try store.verifyAudit().headMAC, headBefore)
        let next = try store.writeAndWait { tx -> DecisionRecord in
            try tx.upsertConversation(conversation("c2"))
            return try tx.insertDecision(decision("d-next", conv: "c2", msg: "m"))
        }
        XCTAssertEqual(next.seq, 2)
        XCTAssertEqual(next.prevMAC, headBefore)
        XCTAssertTrue(try store.verifyAudit().ok)
    }

    func testFailedJobThrowsItsOwnError() throws {
        struct Boom: Error {}
        let store = try open()
        defer { store.close() }
        XCTAssertThrowsError(try store.writeAndWait { tx in
            try recordTurn(tx, conv: "c1", msg: "m1")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertNil(try store.read { try $0.conversation(id: "c1") })
        XCTAssertEqual(try store.verifyAudit().checked, 0)
    }

    func testJobsAroundAFailingSiblingCommitExactlyOnce() throws {
        struct Boom: Error {}
        let store = try open()
        defer { store.close() }
        let done = DispatchGroup()
        let results = Collector<(String, Bool)>()
        let gate = holdWriter(store, done: done)
        for (name, fails) in [("before", false), ("failing", true), ("after", false)] {
            done.enter()
            store.write({ tx in
                try recordTurn(tx, conv: name, msg: "m1")
                if fails { throw Boom() }
            }, completion: { r in results.add((name, (try? r.get()) != nil)); done.leave() })
        }
        gate.signal()
        done.wait()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: results.all.map { ($0.0, $0.1) }),
                       ["before": true, "failing": false, "after": true])
        try store.read { tx in
            XCTAssertEqual(try tx.messages(conversationID: "before").count, 1, "run twice, committed once")
            XCTAssertEqual(try tx.messages(conversationID: "after").count, 1)
            XCTAssertNil(try tx.conversation(id: "failing"))
        }
        let report = try store.verifyAudit()
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 2)
    }

    func testRolledBackJobDoesNotAdvanceTheChainForItsBatch() throws {
        struct Boom: Error {}
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in try recordTurn(tx, conv: "c0", msg: "m0") }
        let done = DispatchGroup()
        // Both jobs land in one batch: the second appends right after the first was rolled back.
        let gate = holdWriter(store, done: done)
        done.enter()
        store.write({ tx in
            try recordTurn(tx, conv: "c1", msg: "m1")
            throw Boom()
        }, completion: { _ in done.leave() })
        let appended = Collector<DecisionRecord>()
        done.enter()
        store.write({ tx -> DecisionRecord in
            try tx.upsertConversation(conversation("c2"))
            return try tx.insertDecision(decision("d2", conv: "c2", msg: "m"))
        }, completion: { r in
            if let d = try? r.get() { appended.add(d) }
            done.leave()
        })
        gate.signal()
        done.wait()
        XCTAssertEqual(appended.all.map(\.seq), [2])
        let report = try store.verifyAudit()
        XCTAssertTrue(report.ok)
        XCTAssertEqual(report.checked, 2)
    }

    func testCloseFinishesQueuedJobsThenRefusesWrites() throws {
        let store = try open()
        let results = Collector<Bool>()
        let gate = holdWriter(store)
        for i in 0..<50 {
            store.write({ tx in try recordTurn(tx, conv: "c", msg: "m\(i)") },
                        completion: { r in results.add((try? r.get()) != nil) })
        }
        XCTAssertGreaterThanOrEqual(store.pendingWrites, 50)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { gate.signal() }
        store.close()
        XCTAssertEqual(results.all.count, 50)
        XCTAssertTrue(results.all.allSatisfy { $0 })
        XCTAssertEqual(store.pendingWrites, 0)
        let late = Collector<Error>()
        store.write({ _ in 1 }, completion: { r in if case .failure(let e) = r { late.add(e) } })
        XCTAssertEqual(late.all.count, 1)
        XCTAssertEqual(late.all.first as? StoreError, .closed)
        XCTAssertThrowsError(try store.writeAndWait { _ in 1 }) { XCTAssertEqual($0 as? StoreError, .closed) }
        XCTAssertThrowsError(try store.read { _ in 1 }) { XCTAssertEqual($0 as? StoreError, .closed) }
        store.close()  // idempotent
        let reopened = try open()
        defer { reopened.close() }
        XCTAssertEqual(try reopened.read { try $0.messages(conversationID: "c").count }, 50)
    }

    func testReadsRunWhileTheWriterIsBusy() throws {
        let store = try open()
        defer { store.close() }
        try store.writeAndWait { tx in try recordTurn(tx, conv: "c1", msg: "m1") }
        let gate = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        store.write({ tx in
            try recordTurn(tx, conv: "c2", msg: "m1")
            gate.wait()
        }, completion: { _ in done.signal() })
        // The writer holds an open transaction; readers still see the last commit.
        let seen = try store.read { try $0.decisions(conversationID: nil, since: nil, limit: 10).count }
        XCTAssertEqual(seen, 1)
        gate.signal()
        done.wait()
        XCTAssertEqual(try store.read { try $0.decisions(conversationID: nil, since: nil, limit: 10).count }, 2)
    }

    func testCompletionSeesTheCommittedData() throws {
        let store = try open()
        defer { store.close() }
        let seen = Collector<Int>()
        let done = DispatchSemaphore(value: 0)
        store.write({ tx in try recordTurn(tx, conv: "c1", msg: "m1") }, completion: { _ in
            // Another connection sees the row: the completion runs after COMMIT, not before.
            seen.add((try? store.read { try $0.messages(conversationID: "c1").count }) ?? -1)
            done.signal()
        })
        done.wait()
        XCTAssertEqual(seen.all, [1])
    }

    func testTheLogIsCheckpointedInTheBackgroundAndRestarts() throws {
        let store = try open()
        let wal = path + "-wal"
        let text = String(repeating: "x", count: 8000)
        var written = 0
        for round in 0..<8 {
            let before = store.checkpointCount
            // About 1,200 pages per round: over the checkpoint threshold, in several batches.
            for batch in 0..<6 {
                try store.writeAndWait { tx in
                    for i in 0..<100 {
                        let conv = "r\(round)b\(batch)i\(i)"
                        try tx.upsertConversation(conversation(conv))
                        try tx.insertMessage(message(conv, "m", text: text))
                    }
                }
                written += 100 * text.utf8.count
            }
            let deadline = Date().addingTimeInterval(10)
            while store.checkpointCount == before && Date() < deadline { usleep(10_000) }
            XCTAssertGreaterThan(store.checkpointCount, before, "round \(round): no background checkpoint")
        }
        // The writer restarted the log after each checkpoint instead of growing it: the file holds
        // about one round (a round is an eighth of what was written), not all of them.
        let walSize = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        XCTAssertLessThan(walSize, written / 3, "log holds \(walSize) bytes of \(written) written")
        store.close()
        let reopened = try open()
        defer { reopened.close() }
        XCTAssertEqual(try reopened.read { try $0.messages(conversationID: "r7b5i99").count }, 1)
    }

    func testEveryCloseWaitsForTheQueueToDrain() throws {
        let store = try open()
        let done = Collector<Int>()
        let gate = holdWriter(store)
        for i in 0..<20 {
            store.write({ tx in try recordTurn(tx, conv: "q", msg: "m\(i)") }, completion: { _ in done.add(i) })
        }
        let first = Thread { store.close() }
        first.start()
        usleep(50_000)  // the first close is waiting for the writer
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { gate.signal() }
        store.close()  // a second caller returns only once the queue is committed too
        XCTAssertEqual(done.all.count, 20)
        let reopened = try open()
        defer { reopened.close() }
        XCTAssertEqual(try reopened.read { try $0.messages(conversationID: "q").count }, 20)
    }

    func testCloseFromACompletionLetsTheQueuedJobsFinishAndRead() throws {
        let store = try open()
        let running = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0)
        store.write({ tx in
            running.signal()
            go.wait()
            try recordTurn(tx, conv: "c", msg: "m0")
        }, completion: { _ in store.close() })
        running.wait()
        // Queued while the first job runs: they commit in the next batch, after close was asked.
        let reads = Collector<Int>()
        let done = DispatchGroup()
        for i in 1...3 {
            done.enter()
            store.write({ tx in try recordTurn(tx, conv: "c", msg: "m\(i)") }, completion: { _ in
                reads.add((try? store.read { try $0.messages(conversationID: "c").count }) ?? -1)
                done.leave()
            })
        }
        go.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(reads.all, [4, 4, 4], "the readers stay open until the writer has drained its queue")
        store.close()
        XCTAssertThrowsError(try store.read { _ in 1 }) { XCTAssertEqual($0 as? StoreError, .closed) }
    }
}
