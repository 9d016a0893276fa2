import Foundation
import XCTest

/// `intakectl replay` against a database the daemon wrote: the same rules report no change even
/// where the conversation's state overrode the rules (an escalated conversation, a booking
/// dialogue), and a candidate rule set that stops treating emergencies as emergencies is a
/// safety regression (exit 1).
final class ReplayTests: SharedDaemonTestCase {
    override class func makeDaemon() throws -> DaemonProcess { try DaemonProcess(demoSlots: true) }

    func testReplayComparesTheRulesVerdictNotTheStateDrivenRoute() throws {
        let billing = Booking.Conversation(d, "rp-billing")
        XCTAssertEqual(Booking.route(billing.say("I was billed twice for my visit last month")), "human")
        // The rules would automate this; the open escalation makes it an acknowledgement.
        let later = billing.say("what are your hours on saturday")
        XCTAssertEqual(Booking.action(later), "escalate", "\(later)")
        let booking = Booking.Conversation(d, "rp-booking", patient: ["new_patient": false, "language": "en"])
        XCTAssertEqual(Booking.action(booking.say("I need a dermatology appointment next week in the morning")), "offer_slots")
        // Alone, "the second one" is nothing the rules automate; in the dialogue it books.
        let pick = booking.say("the second one")
        XCTAssertEqual(Booking.route(pick), "automate", "\(pick)")
        XCTAssertEqual(Booking.route(Booking.Conversation(d, "rp-emergency").say("I have crushing chest pain right now")), "emergency")

        let same = DaemonProcess.intakectl(["replay", "--data-dir", d.dataDir.path, "--rules", d.rulesDir.path, "--json"])
        XCTAssertEqual(same.status, 0, same.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(same.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["decisions"] as? Int, 5)
        XCTAssertEqual(report["changed"] as? Int, 0, same.stdout)

        // A candidate that routes emergencies to the front desk loses the recorded emergency.
        let candidate = d.root.appendingPathComponent("candidate-rules")
        try FileManager.default.copyItem(at: d.rulesDir, to: candidate)
        let policy = candidate.appendingPathComponent("10-policy.rules")
        let text = try String(contentsOf: policy, encoding: .utf8)
        try text.replacingOccurrences(of: "policy emergency              route emergency queue emergency",
                                      with: "policy emergency              route human queue front_desk")
            .write(to: policy, atomically: true, encoding: .utf8)
        let worse = DaemonProcess.intakectl(["replay", "--data-dir", d.dataDir.path, "--rules", candidate.path])
        XCTAssertEqual(worse.status, 1, worse.stdout + worse.stderr)
        XCTAssertTrue(worse.stdout.contains("emergencies lost: 1  <- SAFETY REGRESSION"), worse.stdout)
        XCTAssertTrue(worse.stdout.contains("rp-emergency/m1: emergency/emergency -> human/emergency"), worse.stdout)
        XCTAssertTrue(worse.stdout.contains("changed: 1 "), worse.stdout)
    }
}

/// `intakectl classify` prints the decision a text would get as a new conversation's first
/// message, offline.
final class IntakectlClassifyTests: XCTestCase {
    func decision(_ text: String) throws -> [String: Any] {
        let rules = DaemonProcess.repoRoot.appendingPathComponent("rules").path
        let r = DaemonProcess.intakectl(["classify", "--rules", rules, "--sent-at", "2026-03-02T15:00:00Z", text])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }

    func testTheDecisionWithItsAction() throws {
        let booking = try decision("can I book a dermatology appointment next week")
        XCTAssertEqual(booking["action"] as? String, "offer_slots")
        XCTAssertEqual(booking["route"] as? String, "automate")
        XCTAssertEqual(booking["id"] as? String, "offline")
        XCTAssertEqual((booking["model"] as? [String: Any])?["used"] as? Bool, false)
        XCTAssertTrue((booking["rules_version"] as? String ?? "").hasPrefix("sha256:"))
        let billing = try decision("I was billed twice for my visit last month")
        XCTAssertEqual(billing["action"] as? String, "escalate")
        XCTAssertEqual(billing["queue"] as? String, "billing")
        let emergency = try decision("I have crushing chest pain right now")
        XCTAssertEqual(emergency["action"] as? String, "emergency")
        XCTAssertEqual(emergency["priority"] as? String, "urgent")
    }
}
