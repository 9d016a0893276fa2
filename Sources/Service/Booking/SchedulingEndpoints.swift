import Foundation
import HTTPServer
import IntakeCore
import Scheduling
import Store

/// `PUT /v1/slots`, `GET /v1/slots`, `GET /v1/bookings/{id}`, `POST /v1/bookings/{id}/cancel`
/// (scope scheduling).
extension App {
    /// Content types `PUT /v1/slots` accepts.
    static let slotTypes: Set<String> = ["application/json", "application/x-ndjson", "application/jsonl",
                                         "application/fhir+json"]

    func schedulingEndpoints() -> [Endpoint] {
        [
            Endpoint("PUT", "/v1/slots", scope: .scheduling, body: Self.slotTypes) { [self] ctx, r in putSlots(ctx, r) },
            Endpoint("GET", "/v1/slots", scope: .scheduling) { [self] ctx, r in listSlots(ctx, r) },
            Endpoint("GET", "/v1/bookings/{id}", scope: .scheduling) { [self] ctx, r in getBooking(ctx, r) },
            Endpoint("POST", "/v1/bookings/{id}/cancel", scope: .scheduling) { [self] ctx, r in cancelBooking(ctx, r) },
        ]
    }

    func putSlots(_ ctx: RequestContext, _ r: HTTPResponder) {
        let batch: SlotBatch
        switch SlotImport.parseBatch(ctx.request.body, contentType: ctx.request.head.header("content-type")) {
        case .failure(let failure): return r.respond(.json(failure.malformed ? 400 : 422, SlotInventory.errorBody(failure)))
        case .success(let b): batch = b
        }
        let now = clock.now()
        store.write({ tx in try SlotInventory.apply(batch, now: now, tx: tx) }, completion: { [log] result in
            switch result {
            case .success(let counts):
                log(.info, "slots_imported", [("created", String(counts.created)), ("updated", String(counts.updated)),
                                              ("blocked", String(counts.blocked))])
                r.ok(JSON.bytes(counts.json))
            case .failure: r.fail(.unavailable)
            }
        })
    }

    func listSlots(_ ctx: RequestContext, _ r: HTTPResponder) {
        let q = ctx.query
        var bounds: [String: String] = [:]
        for name in ["from", "to"] {
            guard let text = q[name] else { continue }
            guard let date = RFC3339.parse(text) else { return r.fail(.invalid("'\(name)' must be an RFC 3339 timestamp", field: name)) }
            bounds[name] = RFC3339.format(date)
        }
        let status = q["status"] ?? "all"
        guard ["free", "all"].contains(status) else { return r.fail(.invalid("'status' must be free or all", field: "status")) }
        var limit = 500
        if let text = q["limit"] {
            guard let n = Int(text), (1...5000).contains(n) else {
                return r.fail(.invalid("'limit' must be a whole number from 1 to 5000", field: "limit"))
            }
            limit = n
        }
        let service = q["service"].map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }
        let now = RFC3339.format(clock.now())
        do {
            let rows = try store.read { tx -> [[String: Any]] in
                let free = try tx.slots(service: service, from: bounds["from"], to: bounds["to"], openOnly: true, limit: limit, now: now)
                if status == "free" { return free.map { SlotRecords.json($0, status: "free") } }
                let freeIDs = Set(free.map(\.id))
                let all = try tx.slots(service: service, from: bounds["from"], to: bounds["to"], openOnly: false, limit: limit)
                // Booked or held by a conversation: not offered to anyone else.
                return all.map { SlotRecords.json($0, status: freeIDs.contains($0.id) ? "free" : $0.status == "blocked" ? "blocked" : "taken") }
            }
            r.ok(JSON.bytes(["slots": rows]))
        } catch {
            r.fail(.unavailable)
        }
    }

    func getBooking(_ ctx: RequestContext, _ r: HTTPResponder) {
        guard let id = ctx.params["id"] else { return r.fail(.notFound) }
        let now = RFC3339.format(clock.now())
        do {
            let found = try store.read { tx -> [String: Any]? in
                guard let b = try tx.booking(id: id) else { return nil }
                return Self.bookingJSON(b, slot: try tx.slot(id: b.slotID), slotFree: try tx.slotIsFree(id: b.slotID, now: now))
            }
            guard let found else { return r.fail(.notFound) }
            r.ok(JSON.bytes(found))
        } catch {
            r.fail(.unavailable)
        }
    }

    func cancelBooking(_ ctx: RequestContext, _ r: HTTPResponder) {
        guard let id = ctx.params["id"] else { return r.fail(.notFound) }
        let now = clock.now()
        let events = config.webhook != nil
        store.write({ tx -> Result<[UInt8], APIError> in
            guard let b = try tx.booking(id: id) else { return .failure(.notFound) }
            let slot = try tx.slot(id: b.slotID)
            guard try tx.cancelBooking(id: id, at: RFC3339.format(now)) else {
                return .failure(APIError(.conflict, code: "not_booked", "the booking is already \(b.status)"))
            }
            if events { try BookingEvents.cancelled(b, slot: slot, reason: .api, at: now, tx: tx) }
            guard let after = try tx.booking(id: id) else { return .failure(.notFound) }
            let free = try tx.slotIsFree(id: b.slotID, now: RFC3339.format(now))
            return .success(JSON.bytes(Self.bookingJSON(after, slot: slot, slotFree: free)))
        }, completion: { [log] result in
            switch result {
            case .success(.success(let body)):
                log(.info, "booking_cancelled", [("booking_id", id), ("by", "api")])
                r.ok(body)
            case .success(.failure(let error)): r.fail(error)
            case .failure: r.fail(.unavailable)
            }
        })
    }

    /// A booking as `GET /v1/bookings/{id}` shows it, with its slot labelled as `GET /v1/slots`
    /// labels it (`free`, `taken`, `blocked`); `slotFree` says whether it could be offered now.
    static func bookingJSON(_ b: BookingRecord, slot: SlotRecord?, slotFree: Bool) -> [String: Any] {
        var o: [String: Any] = ["id": b.id, "slot_id": b.slotID, "conversation_id": b.conversationID, "status": b.status,
                                "created_at": b.createdAt, "cancelled_at": b.cancelledAt ?? NSNull()]
        o["slot"] = slot.map { s in
            SlotRecords.json(s, status: s.status == "blocked" ? "blocked" : slotFree ? "free" : "taken")
        } ?? NSNull()
        return o
    }
}
