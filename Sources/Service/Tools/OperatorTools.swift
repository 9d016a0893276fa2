import Foundation
import IntakeCore
import RuleEngine
import Store

/// The `intakectl` commands that read a daemon's data directory: they work offline, and beside
/// a running daemon (SQLite's WAL lets readers and the daemon's writer coexist).
public enum OperatorTools {
    /// What a tool prints and the exit status it ends with.
    public struct Output: Sendable {
        public var stdout: String
        public var stderr: String
        public var status: Int32
    }

    /// Opens the store of a data directory; the audit key must already exist there.
    static func openStore(dataDir: String) throws -> Store {
        let db = dataDir + "/intake.sqlite"
        guard FileManager.default.fileExists(atPath: db) else { throw ToolError("no database at \(db)") }
        guard let key = try DataDirectory.existingSecret(named: "audit.key", in: dataDir) else {
            throw ToolError("cannot read the audit key at \(dataDir)/audit.key")
        }
        return try Store(path: db, auditKey: key)
    }

    /// `intakectl audit verify --data-dir DIR`: walks the decision log's HMAC chain.
    /// Exit 0 when intact, 1 when a row was edited, removed or reordered, 2 on usage/IO errors.
    public static func auditVerify(dataDir: String, json: Bool) -> Output {
        do {
            let store = try openStore(dataDir: dataDir)
            defer { store.close() }
            let report = try store.verifyAudit()
            if json {
                var o: [String: Any] = ["ok": report.ok, "checked": report.checked]
                o["first_bad_seq"] = report.firstBadSeq.map { Int($0) } ?? NSNull()
                o["head_mac"] = report.headMAC ?? NSNull()
                return Output(stdout: String(decoding: JSON.bytes(o), as: UTF8.self) + "\n", stderr: "", status: report.ok ? 0 : 1)
            }
            if report.ok {
                return Output(stdout: "audit chain intact: \(report.checked) decisions checked, head \(report.headMAC ?? "-")\n",
                              stderr: "", status: 0)
            }
            let at = report.firstBadSeq.map { "decision seq \($0)" } ?? "an unknown row"
            return Output(stdout: "", stderr: "audit chain BROKEN at \(at) (\(report.checked) decisions checked): a decision was edited, removed or reordered\n",
                          status: 1)
        } catch {
            return Output(stdout: "", stderr: "intakectl audit verify: \(error)\n", status: 2)
        }
    }

    /// One recorded decision that candidate rules would decide differently.
    struct Change: Encodable {
        var decision_id: String
        var conversation_id: String
        var message_id: String
        var recorded: Verdict
        var candidate: Verdict
        struct Verdict: Encodable { var route: String; var intent: String }
    }

    /// `intakectl replay --data-dir DIR --rules NEWDIR [--since T]`: re-classifies recorded
    /// messages with candidate rules and reports what would change, most serious first.
    /// What is compared is the rules' verdict on the text: the recorded intent, and the route
    /// the rules gave before the conversation's state changed it (a message in an escalated
    /// conversation is acknowledged, a pick in a booking dialogue is automated), as the
    /// decision's reasons record it (`rulesRoute`).
    /// Exit 0 when it ran (changes are information), 1 when a recorded emergency would no
    /// longer be one (a safety regression), 2 on usage/IO errors.
    public static func replay(dataDir: String, rulesDir: String, since: String?, timeZone: TimeZone, json: Bool,
                              limit: Int = 1_000_000, progress: ((Int, Int) -> Void)? = nil) -> Output {
        let rules: RuleSet
        switch RuleSetLoading.load(directory: rulesDir) {
        case .success(let r): rules = r
        case .failure(let f): return Output(stdout: "", stderr: f.lines.joined(separator: "\n") + "\n", status: 2)
        }
        var sinceText: String?
        if let since {
            guard let d = RFC3339.parse(since) else {
                return Output(stdout: "", stderr: "intakectl replay: --since must be an RFC 3339 timestamp\n", status: 2)
            }
            sinceText = RFC3339.format(d)
        }
        do {
            let store = try openStore(dataDir: dataDir)
            defer { store.close() }
            let rows = try store.read { tx -> [(DecisionRecord, MessageRecord?)] in
                try tx.decisions(conversationID: nil, since: sinceText, limit: limit).reversed().map {
                    ($0, try tx.message(conversationID: $0.conversationID, messageID: $0.messageID))
                }
            }
            var changes: [Change] = []
            var lowered = 0, raised = 0, intentOnly = 0, skipped = 0
            for (i, (d, m)) in rows.enumerated() {
                if i % 1000 == 0 { progress?(i, rows.count) }
                guard let m, !m.text.hasPrefix("[") else { skipped += 1; continue }  // channel-made decisions (keypad) are not text
                let sentAt = RFC3339.parse(m.sentAt) ?? Date()
                let c = rules.classify(m.text, sentAt: sentAt, timeZone: timeZone)
                let old = rulesRoute(d) ?? Route(rawValue: d.route) ?? .automate
                guard c.route != old || c.intent.rawValue != d.intent else { continue }
                if c.route < old { lowered += 1 } else if c.route > old { raised += 1 } else { intentOnly += 1 }
                changes.append(Change(decision_id: d.id, conversation_id: d.conversationID, message_id: d.messageID,
                                      recorded: .init(route: old.rawValue, intent: d.intent),
                                      candidate: .init(route: c.route.rawValue, intent: c.intent.rawValue)))
            }
            progress?(rows.count, rows.count)
            let emergencyLost = changes.filter { $0.recorded.route == "emergency" && $0.candidate.route != "emergency" }.count
            changes.sort { urgencyDrop($0) > urgencyDrop($1) }
            let status: Int32 = emergencyLost > 0 ? 1 : 0
            if json {
                struct Report: Encodable {
                    var decisions: Int; var skipped: Int; var changed: Int; var route_lowered: Int; var route_raised: Int
                    var intent_only: Int; var emergencies_lost: Int; var rules_version: String; var changes: [Change]
                }
                let report = Report(decisions: rows.count, skipped: skipped, changed: changes.count, route_lowered: lowered,
                                    route_raised: raised, intent_only: intentOnly, emergencies_lost: emergencyLost,
                                    rules_version: rules.version, changes: changes)
                return Output(stdout: String(decoding: JSON.encode(report), as: UTF8.self) + "\n", stderr: "", status: status)
            }
            var out = "replayed \(rows.count) decisions with \(rules.version) (\(skipped) without text skipped)\n"
            out += "changed: \(changes.count)  route lowered: \(lowered)  route raised: \(raised)  intent only: \(intentOnly)\n"
            out += "emergencies lost: \(emergencyLost)\(emergencyLost > 0 ? "  <- SAFETY REGRESSION" : "")\n"
            for c in changes.prefix(200) {
                out += "  \(c.decision_id) \(c.conversation_id)/\(c.message_id): \(c.recorded.route)/\(c.recorded.intent) -> \(c.candidate.route)/\(c.candidate.intent)\n"
            }
            if changes.count > 200 { out += "  ... \(changes.count - 200) more (use --json for all)\n" }
            return Output(stdout: out, stderr: "", status: status)
        } catch {
            return Output(stdout: "", stderr: "intakectl replay: \(error)\n", status: 2)
        }
    }

    /// The route the rules gave a recorded decision before any step of the ingest job changed it.
    static func rulesRoute(_ d: DecisionRecord) -> Route? {
        guard let decision = try? JSONDecoder().decode(Decision.self, from: Data(d.json.utf8)) else { return nil }
        return RuleSet.rulesRoute(reasons: decision.reasons)
    }

    private static func urgencyDrop(_ c: Change) -> Int {
        (Route(rawValue: c.recorded.route)?.urgency ?? 0) - (Route(rawValue: c.candidate.route)?.urgency ?? 0)
    }
}

struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
