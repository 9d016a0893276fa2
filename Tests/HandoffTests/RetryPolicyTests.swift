import XCTest
@testable import Handoff

final class RetryPolicyTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_772_000_000)

    func testCeilingDoublesUpToCap() {
        let p = RetryPolicy(base: 2, cap: 60, maxAttempts: 10)
        XCTAssertEqual((1...7).map { p.ceiling(afterAttempt: $0) }, [2, 4, 8, 16, 32, 60, 60])
        XCTAssertEqual(p.ceiling(afterAttempt: 5000), 60, "huge attempt counts stay at the cap")
    }

    func testSeededScheduleIsDeterministicAndWithinBounds() {
        let p = RetryPolicy(base: 2, cap: 60, maxAttempts: 8)
        func schedule(seed: UInt64) -> [RetryPolicy.Outcome] {
            var rng = SplitMix64(seed: seed)
            return (1...8).map { p.afterFailure(attempts: $0, now: now, random: &rng) }
        }
        let a = schedule(seed: 42)
        XCTAssertEqual(a, schedule(seed: 42), "same seed, same schedule")
        XCTAssertNotEqual(a, schedule(seed: 43), "jitter depends on the random source")
        XCTAssertEqual(a.last, .dead, "the 8th failure is the last")
        var delays: [Double] = []
        for (i, outcome) in a.dropLast().enumerated() {
            guard case .retry(let at) = outcome else { return XCTFail("attempt \(i + 1) should retry") }
            let delay = at.timeIntervalSince(now)
            XCTAssertGreaterThanOrEqual(delay, 0)
            XCTAssertLessThanOrEqual(delay, p.ceiling(afterAttempt: i + 1))
            delays.append(delay)
        }
        XCTAssertEqual(Set(delays).count, delays.count, "full jitter: delays are spread, not fixed")
    }

    func testFullJitterCoversTheWholeRange() {
        let p = RetryPolicy(base: 10, cap: 10, maxAttempts: 100)
        var rng = SplitMix64(seed: 7)
        let delays = (0..<2000).map { _ -> Double in
            guard case .retry(let at) = p.afterFailure(attempts: 1, now: now, random: &rng) else { return -1 }
            return at.timeIntervalSince(now)
        }
        XCTAssertTrue(delays.allSatisfy { $0 >= 0 && $0 <= 10 })
        XCTAssertLessThan(delays.min()!, 0.5)
        XCTAssertGreaterThan(delays.max()!, 9.5)
        let mean = delays.reduce(0, +) / Double(delays.count)
        XCTAssertEqual(mean, 5, accuracy: 0.5)
    }

    func testSplitMix64KnownSequence() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220A8397B1DCDAF)
        XCTAssertEqual(rng.next(), 0x6E789E6AA1B965F4)
    }

    func testDeadAtMaxAttempts() {
        var rng = SplitMix64(seed: 1)
        let p = RetryPolicy(maxAttempts: 3)
        XCTAssertNotEqual(p.afterFailure(attempts: 2, now: now, random: &rng), .dead)
        XCTAssertEqual(p.afterFailure(attempts: 3, now: now, random: &rng), .dead)
        XCTAssertEqual(p.afterFailure(attempts: 4, now: now, random: &rng), .dead)
    }
}

final class OutboxStatsTests: XCTestCase {
    func testCountsPendingDeadAttemptsAndOldestAge() {
        let now = Date(timeIntervalSince1970: 1000)
        let stats = OutboxStats([
            OutboxEntry(status: .pending, attempts: 0, createdAt: now.addingTimeInterval(-5)),
            OutboxEntry(status: .pending, attempts: 3, createdAt: now.addingTimeInterval(-90)),
            OutboxEntry(status: .delivered, attempts: 2, createdAt: now.addingTimeInterval(-900)),
            OutboxEntry(status: .dead, attempts: 15, createdAt: now.addingTimeInterval(-9000)),
        ], now: now)
        XCTAssertEqual(stats, OutboxStats(pending: 2, dead: 1, failedAttempts: 18, oldestPendingAgeSeconds: 90))
        XCTAssertEqual(OutboxStats([], now: now), OutboxStats())
    }

    func testOnlySuccessStatusesDeliver() {
        XCTAssertTrue(OutboxStats.isDelivered(httpStatus: 200))
        XCTAssertTrue(OutboxStats.isDelivered(httpStatus: 204))
        XCTAssertFalse(OutboxStats.isDelivered(httpStatus: 301))
        XCTAssertFalse(OutboxStats.isDelivered(httpStatus: 429))
        XCTAssertFalse(OutboxStats.isDelivered(httpStatus: 500))
    }
}
