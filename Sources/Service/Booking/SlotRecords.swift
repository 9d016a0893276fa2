import Foundation
import IntakeCore
#if canImport(Glibc)
import Glibc
#endif
import Scheduling
import Store

/// Converts between the scheduling module's `Slot` and the store's `SlotRecord`, with a UTC
/// timestamp form that sorts as text (`2026-03-10T14:00:00.000Z`): the store compares slot
/// starts, hold expiries and booking times as strings, so every one must be written this way.
enum SlotRecords {
    /// The stored form of `slot`, open, stamped `updatedAt`.
    static func record(_ slot: Slot, updatedAt: String) -> SlotRecord {
        SlotRecord(id: slot.id, service: slot.service, provider: slot.provider, location: slot.location,
                   start: RFC3339.format(slot.start), end: RFC3339.format(slot.end), status: "open",
                   languages: (slot.languages ?? []).joined(separator: ","), newPatientsOK: slot.newPatients, updatedAt: updatedAt)
    }

    /// The slot of a stored record; nil when its times are unreadable (never written by us).
    static func slot(_ r: SlotRecord) -> Slot? {
        guard let start = date(r.start), let end = date(r.end) else { return nil }
        let languages = r.languages.split(separator: ",").map(String.init)
        return Slot(id: r.id, service: r.service, provider: r.provider, location: r.location, start: start, end: end,
                    languages: languages.isEmpty ? nil : languages, newPatients: r.newPatientsOK)
    }

    /// The contract's JSON form of a stored slot, plus its `status` as the listing computed it.
    static func json(_ r: SlotRecord, status: String) -> [String: Any] {
        var o: [String: Any] = ["id": r.id, "service": r.service, "start": r.start, "end": r.end, "status": status]
        if let p = r.provider { o["provider"] = p }
        if let l = r.location { o["location"] = l }
        if let n = r.newPatientsOK { o["new_patient_ok"] = n }
        if !r.languages.isEmpty { o["language"] = r.languages.split(separator: ",").map(String.init) }
        return o
    }


    /// Reads `stamp`'s form back (and plain `...:SSZ`).
    static func date(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b.last == 90 else { return nil }
        func n(_ at: Int, _ count: Int) -> Int32? {
            var v: Int32 = 0
            for k in at..<at + count { guard (48...57).contains(b[k]) else { return nil }; v = v * 10 + Int32(b[k] - 48) }
            return v
        }
        guard let y = n(0, 4), let mo = n(5, 2), let d = n(8, 2), let h = n(11, 2), let mi = n(14, 2), let s = n(17, 2) else {
            return nil
        }
        var t = tm()
        t.tm_year = y - 1900; t.tm_mon = mo - 1; t.tm_mday = d; t.tm_hour = h; t.tm_min = mi; t.tm_sec = s
        var fraction = 0.0
        if b.count == 24, b[19] == 46, let ms = n(20, 3) { fraction = Double(ms) / 1000 }
        return Date(timeIntervalSince1970: Double(timegm(&t)) + fraction)
    }
}
