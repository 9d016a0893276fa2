import Foundation
import XCTest

/// Booking under contention, with holds that lapse at once (`booking.hold_minutes = 0` in the
/// test's copy of the rules) so every patient is offered the same few slots.
final class BookingRaceTests: SharedDaemonTestCase {
    override class func makeDaemon() throws -> DaemonProcess {
        let daemon = try DaemonProcess(extraConfig: try Booking.unreachableWebhook())
        let policy = daemon.rulesDir.appendingPathComponent("10-policy.rules")
        let text = try String(contentsOf: policy, encoding: .utf8)
        try text.replacingOccurrences(of: "threshold booking.hold_minutes = 10", with: "threshold booking.hold_minutes = 0")
            .write(to: policy, atomically: true, encoding: .utf8)
        return daemon
    }

    /// 20 patients over real HTTP, concurrently, for 2 slots: each slot is booked exactly once,
    /// and the others are re-offered what is left or told nothing is left.
    func testConcurrentPicksBookEachSlotOnce() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("endocrinology", [(9, 0), (13, 0)])).status, 200)
        let patients = (0..<20).map { Booking.Conversation(d, "race-\($0)") }
        let offers = concurrently(patients) { $0.say("I need an endocrinology appointment tomorrow") }
        for o in offers { XCTAssertEqual(Booking.action(o), "offer_slots", "\(o)"); XCTAssertFalse(Booking.slotIDs(o).isEmpty) }

        // Everyone picks the first offered slot at once; whoever loses is re-offered what is left
        // and picks again, until nobody holds an offer.
        var pending = Array(zip(patients.indices, concurrently(patients) { $0.say("the first one") }))
        var bookedSlots: [String] = []
        var reoffered = 0
        for _ in 0..<5 {
            var again: [Int] = []
            for (i, a) in pending {
                switch Booking.action(a) {
                case "book": bookedSlots.append(Booking.booking(a)?["slot_id"] as? String ?? "?")
                case "offer_slots": again.append(i)
                default: XCTAssertEqual(Booking.action(a), "clarify", "told nothing is left: \(a)")
                }
            }
            if again.isEmpty { break }
            reoffered += again.count
            pending = Array(zip(again, concurrently(again) { patients[$0].say("the first one") }))
        }
        XCTAssertEqual(bookedSlots.sorted(), ["endocrinology-1-130", "endocrinology-1-90"], "each slot booked exactly once")
        XCTAssertGreaterThan(reoffered, 0, "losers are re-offered what is left")
        let listed = d.get("/v1/slots?service=endocrinology", token: DaemonProcess.schedulingToken).json["slots"] as? [[String: Any]] ?? []
        XCTAssertEqual(listed.compactMap { $0["status"] as? String }, ["taken", "taken"])
        XCTAssertEqual(Booking.outboxTypes(d).filter { $0 == "booking.created" }.count, 2)
    }

    /// A hold that lapsed lets another patient take the slot; the first patient's late pick is
    /// answered with what is open now.
    func testHoldExpiryReoffers() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("gastroenterology", [(9, 0), (10, 0), (11, 0), (14, 0)])).status, 200)
        let a = Booking.Conversation(d, "exp-a"), b = Booking.Conversation(d, "exp-b")
        let offerA = a.say("I need a gastroenterology appointment tomorrow")
        usleep(20_000)  // a hold of 0 minutes still counts within the millisecond it was taken
        let offerB = b.say("I need a gastroenterology appointment tomorrow")
        let first = try XCTUnwrap(Booking.slotIDs(offerA).first)
        XCTAssertEqual(Booking.slotIDs(offerB).first, first, "A's hold lapsed, so B sees the same slots")
        XCTAssertEqual(Booking.booking(b.say("the first one"))?["slot_id"] as? String, first)
        let late = a.say("the first one")
        XCTAssertEqual(Booking.action(late), "offer_slots", "\(late)")
        XCTAssertFalse(Booking.slotIDs(late).contains(first))
        XCTAssertTrue((late["reply"] as? String ?? "").contains("released"), "\(late)")
    }

    func concurrently<T: Sendable, R>(_ items: [T], _ body: @escaping (T) -> R) -> [R] {
        nonisolated(unsafe) var results = [R?](repeating: nil, count: items.count)
        let lock = NSLock()
        nonisolated(unsafe) let run = body
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            let r = run(items[i])
            lock.withLock { results[i] = r }
        }
        return results.map { $0! }
    }
}
