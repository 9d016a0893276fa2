import Foundation
@_spi(Testing) import Store
import XCTest

final class SchedulingTests: StoreTestCase {
    static func slot(_ id: String, service: String = "dermatology", start: String, status: String = "open") -> SlotRecord {
        SlotRecord(id: id, service: service, provider: "Dr. A", location: nil, start: start, end: start + "+30m",
                   status: status, languages: "en,es", newPatientsOK: true, updatedAt: t0)
    }

    func seed(_ store: Store) throws {
        try store.writeAndWait { tx in
            try tx.upsertSlot(Self.slot("s1", start: "2026-03-10T14:00:00.000Z"))
            try tx.upsertSlot(Self.slot("s2", start: "2026-03-10T15:00:00.000Z"))
            try tx.upsertSlot(Self.slot("s3", start: "2026-03-11T14:00:00.000Z", status: "blocked"))
            try tx.upsertSlot(Self.slot("s4", service: "cardiology", start: "2026-03-10T16:00:00.000Z"))
        }
    }

    func testSlotRoundTripAndFilters() throws {
        let store = try open()
        defer { store.close() }
        try seed(store)
        try store.read { tx in
            XCTAssertEqual(try tx.slot(id: "s1"), Self.slot("s1", start: "2026-03-10T14:00:00.000Z"))
            XCTAssertNil(try tx.slot(id: "zz"))
            XCTAssertEqual(try tx.slots(service: nil, from: nil, to: nil, openOnly: false, limit: 10).map(\.id), ["s1", "s2", "s4", "s3"])
            XCTAssertEqual(try tx.slots(service: "dermatology", from: nil, to: nil, openOnly: true, limit: 10).map(\.id), ["s1", "s2"])
            XCTAssertEqual(try tx.slots(service: nil, from: "2026-03-10T15:00:00.000Z", to: "2026-03-11T00:00:00.000Z",
                                        openOnly: false, limit: 10).map(\.id), ["s2", "s4"])
            XCTAssertEqual(try tx.slots(service: nil, from: nil, to: nil, openOnly: false, limit: 1).map(\.id), ["s1"])
        }
        var changed = Self.slot("s1", start: "2026-03-10T14:30:00.000Z")
        changed.provider = nil
        changed.newPatientsOK = nil
        let changedRow = changed
        try store.writeAndWait { tx in try tx.upsertSlot(changedRow) }
        XCTAssertEqual(try store.read { try $0.slot(id: "s1") }, changed)
    }

    func testHoldsHideSlotsFromOthersUntilExpiry() throws {
        let store = try open()
        defer { store.close() }
        try seed(store)
        try store.writeAndWait { tx in try tx.holdSlots(ids: ["s1", "s2"], conversationID: "a", expiresAt: "2026-03-02T19:15:00.000Z") }
        func openIDs(_ now: String, for conv: String) throws -> [String] {
            try store.read { try $0.slots(service: "dermatology", from: nil, to: nil, openOnly: true, limit: 10,
                                          now: now, conversationID: conv).map(\.id) }
        }
        XCTAssertEqual(try openIDs("2026-03-02T19:10:00.000Z", for: "b"), [])
        XCTAssertEqual(try openIDs("2026-03-02T19:10:00.000Z", for: "a"), ["s1", "s2"], "a conversation sees its own holds")
        XCTAssertEqual(try openIDs("2026-03-02T19:20:00.000Z", for: "b"), ["s1", "s2"], "expired holds do not count")
        let blocked = try store.writeAndWait { tx in
            try tx.book(BookingRecord(id: "bk-b", slotID: "s1", conversationID: "b", createdAt: "2026-03-02T19:10:00.000Z"))
        }
        XCTAssertEqual(blocked, .slotTaken)
        XCTAssertEqual(try store.writeAndWait { tx in try tx.releaseHolds(conversationID: "a") }, 2)
        XCTAssertEqual(try openIDs("2026-03-02T19:10:00.000Z", for: "b"), ["s1", "s2"])
        XCTAssertThrowsError(try store.writeAndWait { tx in try tx.holdSlots(ids: ["nope"], conversationID: "a", expiresAt: t0) })
    }

    func testSlotAvailabilityColumnsFollowHoldsAndBookings() throws {
        let store = try open()
        defer { store.close() }
        try seed(store)
        let raw = try RawDB(path: path)
        defer { raw.close() }
        func columns(_ id: String) throws -> String {
            try raw.strings("SELECT booked || '|' || ifnull(held_by, '-') || '|' || ifnull(held_until, '-') FROM slots WHERE id = '\(id)'").first ?? "?"
        }
        try store.writeAndWait { tx in
            try tx.holdSlots(ids: ["s1"], conversationID: "a", expiresAt: "2026-03-02T19:15:00.000Z")
            try tx.holdSlots(ids: ["s1"], conversationID: "a", expiresAt: "2026-03-02T19:25:00.000Z")  // extended
        }
        XCTAssertEqual(try columns("s1"), "0|a|2026-03-02T19:25:00.000Z")
        XCTAssertEqual(try store.writeAndWait { tx in
            try tx.book(BookingRecord(id: "bk-1", slotID: "s1", conversationID: "a", createdAt: "2026-03-02T19:10:00.000Z"))
        }, .booked)
        XCTAssertEqual(try columns("s1"), "1|-|-", "booking it drops the booker's hold")
        try store.writeAndWait { tx in _ = try tx.cancelBooking(id: "bk-1", at: "2026-03-02T19:12:00.000Z") }
        XCTAssertEqual(try columns("s1"), "0|-|-")
        try store.writeAndWait { tx in try tx.holdSlots(ids: ["s2"], conversationID: "b", expiresAt: "2026-03-02T19:15:00.000Z") }
        try store.writeAndWait { tx in _ = try tx.releaseHolds(conversationID: "b") }
        XCTAssertEqual(try columns("s2"), "0|-|-")
    }

    func testUpgradeFillsSlotAvailabilityFromExistingHoldsAndBookings() throws {
        do {
            let store = try open()
            try seed(store)
            try store.writeAndWait { tx in
                try tx.holdSlots(ids: ["s2"], conversationID: "a", expiresAt: "2026-03-02T19:15:00.000Z")
                _ = try tx.book(BookingRecord(id: "bk-1", slotID: "s4", conversationID: "c", createdAt: t0))
            }
            store.close()
        }
        // The same data as a version 4 database wrote it: no availability columns, no triggers.
        let raw = try RawDB(path: path)
        for trigger in try raw.strings("SELECT name FROM sqlite_master WHERE type = 'trigger'") {
            try raw.exec("DROP TRIGGER \(trigger)")
        }
        try raw.exec("DROP INDEX slots_free; ALTER TABLE slots DROP COLUMN booked; ALTER TABLE slots DROP COLUMN held_by; ALTER TABLE slots DROP COLUMN held_until; PRAGMA user_version = 4")
        raw.close()
        let store = try open()
        defer { store.close() }
        let open = try store.read { tx in
            try tx.slots(service: nil, from: nil, to: nil, openOnly: true, limit: 10, now: "2026-03-02T19:10:00.000Z",
                         conversationID: "b").map(\.id)
        }
        XCTAssertEqual(open, ["s1"], "s2 is held by a, s3 blocked, s4 booked")
    }

    func testBookCancelAndRebook() throws {
        let store = try open()
        defer { store.close() }
        try seed(store)
        try store.writeAndWait { tx in try tx.holdSlots(ids: ["s1"], conversationID: "a", expiresAt: "2026-03-02T20:00:00.000Z") }
        let results = try store.writeAndWait { tx -> [BookResult] in
            [try tx.book(BookingRecord(id: "bk1", slotID: "s1", conversationID: "a", createdAt: t0)),
             try tx.book(BookingRecord(id: "bk2", slotID: "s1", conversationID: "b", createdAt: t0)),
             try tx.book(BookingRecord(id: "bk3", slotID: "s3", conversationID: "b", createdAt: t0)),
             try tx.book(BookingRecord(id: "bk4", slotID: "missing", conversationID: "b", createdAt: t0))]
        }
        XCTAssertEqual(results, [.booked, .slotTaken, .slotTaken, .slotMissing])
        try store.read { tx in
            XCTAssertEqual(try tx.booking(id: "bk1"), BookingRecord(id: "bk1", slotID: "s1", conversationID: "a", createdAt: t0))
            XCTAssertNil(try tx.booking(id: "bk2"))
            XCTAssertEqual(try tx.slots(service: "dermatology", from: nil, to: nil, openOnly: true, limit: 10, now: t0).map(\.id), ["s2"])
        }
        XCTAssertTrue(try store.writeAndWait { tx in try tx.cancelBooking(id: "bk1", at: "2026-03-03T00:00:00.000Z") })
        XCTAssertFalse(try store.writeAndWait { tx in try tx.cancelBooking(id: "bk1", at: "2026-03-03T00:00:00.000Z") })
        XCTAssertEqual(try store.writeAndWait { tx in
            try tx.book(BookingRecord(id: "bk5", slotID: "s1", conversationID: "b", createdAt: "2026-03-03T01:00:00.000Z"))
        }, .booked)
        try store.read { tx in
            XCTAssertEqual(try tx.bookings(conversationID: "a").map(\.status), ["cancelled"])
            XCTAssertEqual(try tx.booking(id: "bk1")?.cancelledAt, "2026-03-03T00:00:00.000Z")
            XCTAssertEqual(try tx.bookings(conversationID: "b").map(\.id), ["bk5"])
        }
    }

    func testConcurrentBookingsOfOneSlotBookItOnce() throws {
        let store = try open()
        defer { store.close() }
        try seed(store)
        let results = Collector<BookResult>()
        let done = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            done.enter()
            store.write({ tx in
                try tx.book(BookingRecord(id: "bk\(i)", slotID: "s2", conversationID: "c\(i)", createdAt: t0))
            }, completion: { r in
                if case .success(let b) = r { results.add(b) }
                done.leave()
            })
        }
        done.wait()
        XCTAssertEqual(results.all.filter { $0 == .booked }.count, 1)
        XCTAssertEqual(results.all.filter { $0 == .slotTaken }.count, 7)
    }

    func testUniqueIndexRefusesADoubleBookingDirectly() throws {
        try open().close()
        let raw = try RawDB(path: path)
        defer { raw.close() }
        try raw.exec("INSERT INTO slots (id, service, start, \"end\", updated_at) VALUES ('s', 'x', 'a', 'b', 'c')")
        try raw.exec("INSERT INTO bookings (id, slot_id, conversation_id, status, created_at, cancelled_at) VALUES ('b1', 's', 'c1', 'booked', 't', NULL)")
        XCTAssertThrowsError(try raw.exec("INSERT INTO bookings (id, slot_id, conversation_id, status, created_at, cancelled_at) VALUES ('b2', 's', 'c2', 'booked', 't', NULL)"))
        try raw.exec("INSERT INTO bookings (id, slot_id, conversation_id, status, created_at, cancelled_at) VALUES ('b3', 's', 'c2', 'cancelled', 't', 't')")
    }
}
