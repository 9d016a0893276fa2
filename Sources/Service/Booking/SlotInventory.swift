import Foundation
import IntakeCore
import Scheduling
import Store

/// Loads slot inventories into the store: the shared core of `PUT /v1/slots`,
/// `intakectl slots import` and `intaked --demo-slots`. One store job per import, so an
/// import lands whole or not at all.
public enum SlotInventory {
    /// What an import did.
    public struct Counts: Sendable, Equatable {
        /// Slots in the document that are bookable.
        public var received = 0
        /// New slots.
        public var created = 0
        /// Known slots whose details were replaced (their bookings and holds are kept).
        public var updated = 0
        /// Known slots the document marks unavailable (FHIR `busy*`), now blocked.
        public var blocked = 0
        /// Unavailable ids the store did not know (nothing to block).
        public var ignored = 0

        /// The JSON answer of `PUT /v1/slots`.
        var json: [String: Any] {
            ["received": received, "created": created, "updated": updated, "blocked": blocked, "ignored": ignored]
        }
    }

    /// Upserts `batch` in `tx`: free slots as open, known unavailable ones as blocked.
    /// `progress` is called every 1000 slots with (done, total).
    static func apply(_ batch: SlotBatch, now: Date, tx: WriteTransaction,
                      progress: ((Int, Int) -> Void)? = nil) throws -> Counts {
        var counts = Counts(received: batch.free.count)
        let stamp = RFC3339.format(now)
        for (n, slot) in batch.free.enumerated() {
            if try tx.slot(id: slot.id) == nil { counts.created += 1 } else { counts.updated += 1 }
            try tx.upsertSlot(SlotRecords.record(slot, updatedAt: stamp))
            if (n + 1) % 1000 == 0 { progress?(n + 1, batch.free.count) }
        }
        for id in batch.unavailable {
            guard var known = try tx.slot(id: id) else { counts.ignored += 1; continue }
            known.status = "blocked"
            known.updatedAt = stamp
            try tx.upsertSlot(known)
            counts.blocked += 1
        }
        progress?(batch.free.count, batch.free.count)
        return counts
    }

    /// The demo inventory (`Scheduling.DemoSlots`) relative to `now`, upserted; idempotent.
    public static func loadDemo(store: Store, now: Date, timeZone: TimeZone) throws -> Counts {
        let batch = SlotBatch(free: DemoSlots.generate(now: now, timeZone: timeZone), unavailable: [])
        return try store.writeAndWait { tx in try apply(batch, now: now, tx: tx) }
    }

    /// The 422 body for an invalid document: every issue by record index, nothing imported.
    static func errorBody(_ failure: SlotImportFailure) -> [UInt8] {
        let details = failure.issues.map { issue -> [String: Any] in
            issue.index < 0 ? ["message": issue.message] : ["index": issue.index, "message": issue.message]
        }
        let records = failure.issues.filter { $0.index >= 0 }.count
        let message = failure.malformed ? "the body is not valid JSON; nothing was imported"
            : records > 0 ? "\(records) invalid record(s); nothing was imported" : "the document cannot be imported"
        let code = failure.malformed ? "malformed" : "invalid_slots"
        return JSON.bytes(["error": ["code": code, "message": message, "field": NSNull(), "details": details] as [String: Any]])
    }
}
