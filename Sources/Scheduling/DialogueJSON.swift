import Foundation
import IntakeCore

extension BookingDialogue {
    /// The dialogue as JSON in the form its synthesized `Codable` conformance reads (dates as
    /// seconds since the reference date, enums as `{"case":{"label":value}}`, nil fields
    /// omitted), written by hand: the dialogue is stored on every booking turn, on the store's
    /// single writer thread, where `JSONEncoder` cost more than the turn's SQL statements.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.dateField("afterDate", afterDate)
        w.key("askedTime"); w.bool(askedTime)
        if let awaiting { w.key("awaiting"); awaiting.write(&w) }
        w.dateField("beforeDate", beforeDate)
        w.key("excluded"); w.beginArray(); for id in excluded { w.string(id) }; w.endArray()
        w.key("failedTurns"); w.int(failedTurns)
        w.key("hasOffered"); w.bool(hasOffered)
        w.key("internalSteps"); w.int(internalSteps)
        if let knownBooking { w.key("knownBooking"); knownBooking.write(&w) }
        w.dateField("lastOfferLatest", lastOfferLatest)
        w.key("now"); w.date(now)
        w.key("offerTemplate"); w.string(offerTemplate)
        w.field("pendingPick", pendingPick)
        w.key("relaxed"); w.bool(relaxed)
        if let rescheduleFrom { w.key("rescheduleFrom"); rescheduleFrom.write(&w) }
        w.key("settings"); settings.write(&w)
        w.key("state"); state.write(&w)
        w.key("wishes"); wishes.write(&w)
        w.endObject()
        return w.bytes
    }
}

extension JSONWriter {
    /// A date as `JSONEncoder`'s default strategy writes it (seconds since the reference date).
    fileprivate mutating func date(_ date: Date) { double(date.timeIntervalSinceReferenceDate) }

    /// An optional date field: omitted when nil, as synthesized `Encodable` does.
    fileprivate mutating func dateField(_ name: String, _ date: Date?) {
        if let date { key(name); self.date(date) }
    }
}

extension DialogueSettings {
    fileprivate func write(_ w: inout JSONWriter) {
        w.beginObject()
        w.key("askForTime"); w.bool(askForTime)
        w.key("holdMinutes"); w.int(holdMinutes)
        w.key("language"); w.string(language)
        w.key("maxFailedTurns"); w.int(maxFailedTurns)
        w.key("offerLimit"); w.int(offerLimit)
        w.key("searchDays"); w.int(searchDays)
        w.key("speakable"); w.bool(speakable)
        w.key("timeZone"); w.beginObject(); w.key("identifier"); w.string(timeZone.identifier); w.endObject()
        w.endObject()
    }
}

extension DialogueState {
    fileprivate func write(_ w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .idle: w.key("idle"); w.beginObject(); w.endObject()
        case .needService: w.key("needService"); w.beginObject(); w.endObject()
        case .needTime: w.key("needTime"); w.beginObject(); w.endObject()
        case .offered(let slots, let holdUntil):
            w.key("offered"); w.beginObject()
            w.key("holdUntil"); w.date(holdUntil)
            w.key("slots"); Slot.write(slots, &w)
            w.endObject()
        case .booked(let id): w.key("booked"); Self.labelled("bookingID", id, &w)
        case .confirmingCancel(let id): w.key("confirmingCancel"); Self.labelled("bookingID", id, &w)
        case .confirmingReschedule(let id): w.key("confirmingReschedule"); Self.labelled("bookingID", id, &w)
        case .escalated(let reason): w.key("escalated"); Self.labelled("reason", reason, &w)
        }
        w.endObject()
    }

    private static func labelled(_ label: String, _ value: String, _ w: inout JSONWriter) {
        w.beginObject(); w.key(label); w.string(value); w.endObject()
    }
}

extension Awaiting {
    fileprivate func write(_ w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .search: w.key("search"); w.beginObject(); w.endObject()
        case .hold(let slots): w.key("hold"); w.beginObject(); w.key("_0"); Slot.write(slots, &w); w.endObject()
        case .book(let slot): w.key("book"); w.beginObject(); w.key("_0"); slot.write(&w); w.endObject()
        case .cancel(let bookingID, let forReschedule):
            w.key("cancel"); w.beginObject()
            w.key("bookingID"); w.string(bookingID)
            w.key("forReschedule"); w.bool(forReschedule)
            w.endObject()
        }
        w.endObject()
    }
}

extension BookingRef {
    fileprivate func write(_ w: inout JSONWriter) {
        w.beginObject()
        w.key("id"); w.string(id)
        w.key("slot"); slot.write(&w)
        w.endObject()
    }
}

extension Slot {
    /// The contract's form, as `encode(to:)` writes it.
    fileprivate func write(_ w: inout JSONWriter) {
        w.beginObject()
        w.key("end"); w.string(Timestamps.format(end))
        w.key("id"); w.string(id)
        if let languages { w.key("language"); w.beginArray(); for l in languages { w.string(l) }; w.endArray() }
        w.field("location", location)
        w.field("new_patient_ok", newPatients)
        w.field("provider", provider)
        w.key("service"); w.string(service)
        w.key("start"); w.string(Timestamps.format(start))
        w.endObject()
    }

    fileprivate static func write(_ slots: [Slot], _ w: inout JSONWriter) {
        w.beginArray()
        for slot in slots { slot.write(&w) }
        w.endArray()
    }
}
