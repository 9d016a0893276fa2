import Foundation
import XCTest

/// Shared helpers for booking conversations over real HTTP.
enum Booking {
    static let zone = TimeZone(identifier: "America/New_York")!

    /// An RFC 3339 time `days` from today at `hour:minute` in the clinic zone.
    static func local(days: Int, _ hour: Int, _ minute: Int = 0, plus seconds: Double = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.date(byAdding: .day, value: days, to: calendar.startOfDay(for: Date()))!
        let at = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: day)!
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        return f.string(from: at.addingTimeInterval(seconds))
    }

    /// Slots of `service` tomorrow at the given (hour, minute) times, 30 minutes each.
    static func slots(_ service: String, _ times: [(Int, Int)], days: Int = 1) -> [[String: Any]] {
        times.map { h, m in
            ["id": "\(service)-\(days)-\(h)\(m)", "service": service, "start": local(days: days, h, m),
             "end": local(days: days, h, m, plus: 1800), "provider": "Dr. Test", "location": "Main Street Clinic"]
        }
    }

    static func put(_ d: DaemonProcess, _ slots: [[String: Any]]) -> DaemonProcess.Response {
        d.request("PUT", "/v1/slots", token: DaemonProcess.schedulingToken, body: try! JSONSerialization.data(withJSONObject: slots))
    }

    /// Thread-safe message counter per conversation, for unique message ids.
    final class Conversation: @unchecked Sendable {
        let id: String
        let d: DaemonProcess
        var patient: [String: Any]?
        private var n = 0
        init(_ d: DaemonProcess, _ id: String, patient: [String: Any]? = nil) { self.d = d; self.id = id; self.patient = patient }

        /// Sends `text` and returns the answer's JSON (failing the test on a non-200).
        @discardableResult
        func say(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
            n += 1
            var body: [String: Any] = ["conversation_id": id, "message_id": "m\(n)", "channel": "chat", "text": text]
            if let patient { body["patient"] = patient }
            let r = d.post("/v1/messages", json: body)
            XCTAssertEqual(r.status, 200, r.text, file: file, line: line)
            return r.json
        }
    }

    static func action(_ j: [String: Any]) -> String? { (j["decision"] as? [String: Any])?["action"] as? String }
    static func route(_ j: [String: Any]) -> String? { (j["decision"] as? [String: Any])?["route"] as? String }
    static func slotIDs(_ j: [String: Any]) -> [String] { (j["slots"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
    static func booking(_ j: [String: Any]) -> [String: Any]? { j["booking"] as? [String: Any] }

    /// A `[webhook]` section whose receiver never answers: booking events are queued (and stay
    /// queued, retried), which is what these tests look at.
    static func unreachableWebhook() throws -> String {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("intake-e2e-\(UUID().uuidString).secret")
        try "whsec-booking-tests\n".write(to: secret, atomically: true, encoding: .utf8)
        return """
            [webhook]
            url = http://127.0.0.1:9/hooks/intake
            secret_file = \(secret.path)
            retry_base_ms = 60000
            retry_cap_ms = 60000

            """
    }

    /// Outbox event types, read straight from the daemon's database.
    static func outboxTypes(_ d: DaemonProcess) -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [d.dataDir.appendingPathComponent("intake.sqlite").path, "SELECT type FROM outbox ORDER BY id"]
        let out = Pipe()
        p.standardOutput = out
        try? p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// Multi-turn booking dialogues end to end over HTTP, with the shipped rules (10-minute holds).
final class BookingTests: SharedDaemonTestCase {
    override class func makeDaemon() throws -> DaemonProcess { try DaemonProcess(extraConfig: try Booking.unreachableWebhook()) }

    func testOfferThenPickBooksAndQueuesTheEvent() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("dermatology", [(8, 0), (8, 30), (9, 0), (10, 30), (11, 0), (14, 0), (15, 30)])).status, 200)
        let c = Booking.Conversation(d, "bk-derm", patient: ["new_patient": false, "language": "en"])
        let offer = c.say("I need a dermatology appointment tomorrow morning")
        XCTAssertEqual(Booking.action(offer), "offer_slots", "\(offer)")
        XCTAssertEqual(Booking.route(offer), "automate")
        let offered = Booking.slotIDs(offer)
        XCTAssertTrue((1...3).contains(offered.count))
        let mornings = ["dermatology-1-80", "dermatology-1-830", "dermatology-1-90", "dermatology-1-1030", "dermatology-1-110"]
        XCTAssertTrue(offered.allSatisfy(mornings.contains), "morning slots only: \(offered)")
        XCTAssertTrue((offer["reply"] as? String ?? "").contains("Which one works for you?"))

        let booked = c.say("the second one")
        XCTAssertEqual(Booking.action(booked), "book", "\(booked)")
        let b = try XCTUnwrap(Booking.booking(booked))
        XCTAssertEqual(b["slot_id"] as? String, offered[min(1, offered.count - 1)])
        XCTAssertEqual(b["status"] as? String, "booked")
        let id = try XCTUnwrap(b["id"] as? String)
        XCTAssertTrue((booked["reply"] as? String ?? "").contains(id), "the confirmation names the booking")

        let got = d.get("/v1/bookings/\(id)", token: DaemonProcess.schedulingToken)
        XCTAssertEqual(got.status, 200, got.text)
        XCTAssertEqual(got.json["status"] as? String, "booked")
        XCTAssertEqual(got.json["conversation_id"] as? String, "bk-derm")
        XCTAssertEqual((got.json["slot"] as? [String: Any])?["status"] as? String, "taken", "labelled as GET /v1/slots labels it")
        let free = d.get("/v1/slots?service=dermatology&status=free", token: DaemonProcess.schedulingToken)
        let freeIDs = (free.json["slots"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertFalse(freeIDs.contains(b["slot_id"] as! String), "a booked slot is not free")
        XCTAssertTrue(Booking.outboxTypes(d).contains("booking.created"))
        XCTAssertEqual(d.get("/v1/bookings/\(id)", token: DaemonProcess.ingestToken).status, 403)
        XCTAssertEqual(d.get("/v1/bookings/bkg_nope", token: DaemonProcess.schedulingToken).status, 404)

        // Staff cancel through the API: the event is queued, a second cancel conflicts.
        let cancel = d.request("POST", "/v1/bookings/\(id)/cancel", token: DaemonProcess.schedulingToken)
        XCTAssertEqual(cancel.status, 200, cancel.text)
        XCTAssertEqual(cancel.json["status"] as? String, "cancelled")
        XCTAssertEqual((cancel.json["slot"] as? [String: Any])?["status"] as? String, "free", "the cancelled slot is free again")
        XCTAssertEqual(d.request("POST", "/v1/bookings/\(id)/cancel", token: DaemonProcess.schedulingToken).status, 409)
        XCTAssertTrue(Booking.outboxTypes(d).contains("booking.cancelled"))
    }

    func testClarifyThenBook() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("cardiology", [(9, 0), (13, 0), (14, 30), (16, 0)])).status, 200)
        let c = Booking.Conversation(d, "bk-cardio")
        let ask = c.say("I'd like to book an appointment")
        XCTAssertEqual(Booking.action(ask), "clarify", "\(ask)")
        let when = c.say("cardiology please")
        XCTAssertEqual(Booking.action(when), "clarify", "\(when)")
        XCTAssertEqual(Booking.route(when), "automate", "the dialogue's question is answered, not escalated")
        let offer = c.say("tomorrow afternoon")
        XCTAssertEqual(Booking.action(offer), "offer_slots", "\(offer)")
        let offered = Booking.slotIDs(offer)
        XCTAssertFalse(offered.isEmpty)
        XCTAssertFalse(offered.contains("cardiology-1-90"), "afternoon asked: \(offered)")
        let booked = c.say("the first one")
        XCTAssertEqual(Booking.action(booked), "book", "\(booked)")
        XCTAssertEqual(Booking.booking(booked)?["slot_id"] as? String, offered.first)
    }

    func testNoneOfThoseThenLater() throws {
        let times = [(8, 0), (8, 30), (9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (14, 0), (15, 0), (16, 0)]
        XCTAssertEqual(Booking.put(d, Booking.slots("orthopedics", times)).status, 200)
        let c = Booking.Conversation(d, "bk-ortho")
        let first = c.say("I need an orthopedics appointment tomorrow morning")
        XCTAssertEqual(Booking.action(first), "offer_slots", "\(first)")
        let firstStarts = (first["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
        let none = c.say("none of those")
        XCTAssertEqual(Booking.action(none), "clarify", "\(none)")
        let later = c.say("something later")
        XCTAssertEqual(Booking.action(later), "offer_slots", "\(later)")
        let laterStarts = (later["slots"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
        XCTAssertFalse(laterStarts.isEmpty)
        XCTAssertTrue(laterStarts.allSatisfy { s in firstStarts.allSatisfy { $0 < s } }, "\(firstStarts) then \(laterStarts)")
        XCTAssertEqual(Booking.action(c.say("the first one")), "book")
    }

    func testRescheduleMovesTheBooking() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("neurology", [(9, 0), (10, 0), (14, 0), (15, 0)])).status, 200)
        let c = Booking.Conversation(d, "bk-neuro")
        XCTAssertEqual(Booking.action(c.say("book a neurology appointment tomorrow morning")), "offer_slots")
        let first = c.say("the first one")
        let oldID = try XCTUnwrap(Booking.booking(first)?["id"] as? String)
        let confirm = c.say("can I reschedule my appointment")
        XCTAssertEqual(Booking.action(confirm), "clarify", "\(confirm)")
        XCTAssertTrue((confirm["reply"] as? String ?? "").contains("move it"), "\(confirm)")
        let yes = c.say("yes")
        XCTAssertEqual(Booking.action(yes), "clarify", "asks when: \(yes)")
        let offer = c.say("tomorrow afternoon")
        XCTAssertEqual(Booking.action(offer), "offer_slots", "\(offer)")
        let moved = c.say("the first one")
        XCTAssertEqual(Booking.action(moved), "reschedule", "\(moved)")
        let newID = try XCTUnwrap(Booking.booking(moved)?["id"] as? String)
        XCTAssertNotEqual(newID, oldID)
        XCTAssertEqual(d.get("/v1/bookings/\(oldID)", token: DaemonProcess.schedulingToken).json["status"] as? String, "cancelled")
        XCTAssertEqual(d.get("/v1/bookings/\(newID)", token: DaemonProcess.schedulingToken).json["status"] as? String, "booked")
    }

    func testCancelNeedsConfirmation() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("ent", [(9, 0), (11, 0)])).status, 200)
        let c = Booking.Conversation(d, "bk-ent")
        XCTAssertEqual(Booking.action(c.say("I want to see ENT tomorrow")), "offer_slots")
        let booked = c.say("the first one")
        let id = try XCTUnwrap(Booking.booking(booked)?["id"] as? String)
        let slotID = try XCTUnwrap(Booking.booking(booked)?["slot_id"] as? String)
        XCTAssertEqual(Booking.action(c.say("I need to cancel my appointment")), "clarify")
        let kept = c.say("no")
        XCTAssertEqual(Booking.action(kept), "reply", "\(kept)")
        XCTAssertEqual(d.get("/v1/bookings/\(id)", token: DaemonProcess.schedulingToken).json["status"] as? String, "booked")
        XCTAssertEqual(Booking.action(c.say("I need to cancel my appointment")), "clarify")
        let done = c.say("yes")
        XCTAssertEqual(Booking.action(done), "cancel", "\(done)")
        XCTAssertEqual(Booking.booking(done)?["status"] as? String, "cancelled")
        XCTAssertEqual(d.get("/v1/bookings/\(id)", token: DaemonProcess.schedulingToken).json["status"] as? String, "cancelled")
        let free = d.get("/v1/slots?service=ent&status=free", token: DaemonProcess.schedulingToken)
        XCTAssertTrue((free.json["slots"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == slotID }, "free again")
    }

    /// A booking made in one conversation is found from a later conversation of the same
    /// patient (by phone number), and only its pseudonymous key is stored with it.
    func testCancelFromAnotherConversationOfTheSamePatient() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("gastroenterology", [(9, 0), (11, 0)])).status, 200)
        let first = Booking.Conversation(d, "bk-uro-1", patient: ["phone": "(555) 010-4477"])
        XCTAssertEqual(Booking.action(first.say("I need a gastroenterology appointment tomorrow")), "offer_slots")
        let booked = first.say("the first one")
        let id = try XCTUnwrap(Booking.booking(booked)?["id"] as? String, "\(booked)")

        let stranger = Booking.Conversation(d, "bk-uro-x", patient: ["phone": "555-010-9999"])
        XCTAssertEqual(Booking.route(stranger.say("I need to cancel my appointment")), "human", "another patient's booking is not found")

        let later = Booking.Conversation(d, "bk-uro-2", patient: ["phone": "+1 555 010 4477"])
        XCTAssertEqual(Booking.action(later.say("I need to cancel my appointment")), "clarify")
        let done = later.say("yes")
        XCTAssertEqual(Booking.action(done), "cancel", "\(done)")
        XCTAssertEqual(d.get("/v1/bookings/\(id)", token: DaemonProcess.schedulingToken).json["status"] as? String, "cancelled")
        let db = try Data(contentsOf: d.dataDir.appendingPathComponent("intake.sqlite"))
            + ((try? Data(contentsOf: d.dataDir.appendingPathComponent("intake.sqlite-wal"))) ?? Data())
        XCTAssertNil(db.range(of: Data("5550104477".utf8)), "the phone number is not stored with the booking")
    }

    func testHeldSlotsAreNotOfferedToOthersAndSpanishReplies() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("ophthalmology", [(9, 0), (10, 0), (11, 0), (13, 0), (14, 0), (15, 0)])).status, 200)
        let a = Booking.Conversation(d, "bk-eye-a").say("I need an eye exam with ophthalmology tomorrow")
        let b = Booking.Conversation(d, "bk-eye-b", patient: ["language": "es"]).say("I need an eye exam with ophthalmology tomorrow")
        XCTAssertEqual(Booking.action(a), "offer_slots")
        XCTAssertEqual(Booking.action(b), "offer_slots", "\(b)")
        XCTAssertTrue(Set(Booking.slotIDs(a)).isDisjoint(with: Booking.slotIDs(b)), "held slots are not offered twice")
        XCTAssertTrue((b["reply"] as? String ?? "").contains("¿Cuál le viene bien?"), "\(b)")
    }

    /// No inventory at all for the service: a clean handoff to the scheduling queue, not a
    /// promise nobody is told to keep.
    func testNoInventoryHandsOverToScheduling() {
        let r = Booking.Conversation(d, "bk-none").say("I need a pediatrics appointment tomorrow")
        XCTAssertEqual(Booking.route(r), "human", "\(r)")
        XCTAssertEqual(Booking.action(r), "escalate")
        XCTAssertTrue(Booking.slotIDs(r).isEmpty)
        XCTAssertEqual((r["escalation"] as? [String: Any])?["queue"] as? String, "scheduling", "\(r)")
        let reasons = (r["decision"] as? [String: Any])?["reasons"] as? [[String: Any]] ?? []
        XCTAssertTrue(reasons.contains { $0["code"] as? String == "booking.no_slots" })
    }

    func testUnknownBookingToCancelHandsOver() {
        let r = Booking.Conversation(d, "bk-nobooking").say("I need to cancel my appointment")
        XCTAssertEqual(Booking.route(r), "human", "\(r)")
        XCTAssertEqual(Booking.action(r), "escalate")
        let reasons = (r["decision"] as? [String: Any])?["reasons"] as? [[String: Any]] ?? []
        XCTAssertTrue(reasons.contains { $0["code"] as? String == "booking.not_found" })
    }

    func testSlotImportFormats() throws {
        let fixtures = DaemonProcess.repoRoot.appendingPathComponent("Tests/SchedulingTests/Fixtures")
        let bundle = try Data(contentsOf: fixtures.appendingPathComponent("fhir-bundle.json"))
        let put = d.request("PUT", "/v1/slots", token: DaemonProcess.schedulingToken, body: bundle, contentType: "application/fhir+json")
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertGreaterThan(put.json["received"] as? Int ?? 0, 0)
        let march = "/v1/slots?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z"
        let listed = d.get(march, token: DaemonProcess.schedulingToken).json["slots"] as? [[String: Any]] ?? []
        let fs1 = try XCTUnwrap(listed.first { $0["id"] as? String == "fs-1" }, "\(listed)")
        XCTAssertEqual(fs1["service"] as? String, "dermatology")
        XCTAssertEqual(fs1["location"] as? String, "Main Street Clinic")
        XCTAssertTrue((fs1["provider"] as? String ?? "").contains("Patel"))

        let invalid = try Data(contentsOf: fixtures.appendingPathComponent("fhir-invalid.json"))
        let bad = d.request("PUT", "/v1/slots", token: DaemonProcess.schedulingToken, body: invalid, contentType: "application/fhir+json")
        XCTAssertEqual(bad.status, 422, bad.text)
        let details = (bad.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        XCTAssertTrue(details.contains { $0["index"] is Int }, bad.text)

        // One bad record refuses the whole array: the good one is not stored either.
        let mixed: [[String: Any]] = [["id": "mix-1", "service": "lab", "start": "2026-05-01T09:00:00Z", "end": "2026-05-01T09:15:00Z"],
                                      ["id": "mix-2", "service": "lab", "start": "2026-05-01T09:00:00Z"]]
        let refused = Booking.put(d, mixed)
        XCTAssertEqual(refused.status, 422)
        XCTAssertEqual(((refused.json["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["index"] as? Int, 1)
        let may = "/v1/slots?service=lab&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z"
        XCTAssertEqual((d.get(may, token: DaemonProcess.schedulingToken).json["slots"] as? [Any])?.count, 0, "nothing partial")

        let ndjson = Data("{\"id\":\"nd-1\",\"service\":\"lab\",\"start\":\"2026-05-01T09:00:00Z\",\"end\":\"2026-05-01T09:15:00Z\"}\n{\"id\":\"nd-2\",\"service\":\"lab\",\"start\":\"2026-05-01T10:00:00Z\",\"end\":\"2026-05-01T10:15:00Z\"}\n".utf8)
        let nd = d.request("PUT", "/v1/slots", token: DaemonProcess.schedulingToken, body: ndjson, contentType: "application/x-ndjson")
        XCTAssertEqual(nd.status, 200, nd.text)
        XCTAssertEqual(nd.json["created"] as? Int, 2)
        XCTAssertEqual((d.get(may, token: DaemonProcess.schedulingToken).json["slots"] as? [Any])?.count, 2)
        XCTAssertEqual(d.request("PUT", "/v1/slots", token: DaemonProcess.ingestToken, body: ndjson, contentType: "application/x-ndjson").status, 403)
        XCTAssertEqual(d.get("/v1/slots?status=busy", token: DaemonProcess.schedulingToken).status, 422)

        // A body that is not JSON at all is malformed (400), not a set of invalid slots (422).
        for (body, type) in [(Data(#"[{"id": "#.utf8), "application/json"), (Data([0xff, 0xfe]), "application/json"),
                             (Data("{\"id\":\"nd-3\"}\n{nope\n".utf8), "application/x-ndjson")] {
            let r = d.request("PUT", "/v1/slots", token: DaemonProcess.schedulingToken, body: body, contentType: type)
            XCTAssertEqual(r.status, 400, r.text)
            XCTAssertEqual((r.json["error"] as? [String: Any])?["code"] as? String, "malformed", r.text)
        }
    }

    func testIntakectlSlotsImport() throws {
        let dir = d.root.appendingPathComponent("cli-data")
        let file = d.root.appendingPathComponent("slots.json")
        try JSONSerialization.data(withJSONObject: [["id": "cli-1", "service": "lab", "start": "2026-05-01T09:00:00Z",
                                                     "end": "2026-05-01T08:00:00Z"]]).write(to: file)
        let bad = runCtl(["slots", "import", file.path, "--data-dir", dir.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("record 0: end is not after start"), bad.stderr)
        try JSONSerialization.data(withJSONObject: Booking.slots("lab", [(9, 0), (9, 30)])).write(to: file)
        let ok = runCtl(["slots", "import", file.path, "--data-dir", dir.path, "--json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("\"created\":2"), ok.stdout)
        XCTAssertTrue(runCtl(["slots", "import", file.path, "--data-dir", dir.path, "--json"]).stdout.contains("\"updated\":2"))
    }

    func runCtl(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) { DaemonProcess.intakectl(args) }
}

/// Without `[webhook]` nothing would ever deliver booking events, so none are queued.
final class BookingWithoutWebhookTests: SharedDaemonTestCase {
    func testBookingAndCancellingQueueNoEvents() throws {
        XCTAssertEqual(Booking.put(d, Booking.slots("cardiology", [(9, 0), (9, 30)])).status, 200)
        let c = Booking.Conversation(d, "bk-nohook", patient: ["new_patient": false, "language": "en"])
        let offer = c.say("I need a cardiology appointment tomorrow morning")
        XCTAssertEqual(Booking.action(offer), "offer_slots", "\(offer)")
        let booked = c.say("the first one")
        XCTAssertEqual(Booking.action(booked), "book", "\(booked)")
        let id = try XCTUnwrap(Booking.booking(booked)?["id"] as? String)
        XCTAssertEqual(d.request("POST", "/v1/bookings/\(id)/cancel", token: DaemonProcess.schedulingToken).status, 200)
        XCTAssertEqual(d.get("/v1/bookings/\(id)", token: DaemonProcess.schedulingToken).json["status"] as? String, "cancelled")
        XCTAssertEqual(Booking.outboxTypes(d), [])
    }
}
