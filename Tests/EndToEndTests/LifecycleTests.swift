import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's life over real processes: first start, stop with a drain that loses nothing,
/// reloads that keep the old rules on error, sd_notify, and startup errors.
final class LifecycleTests: XCTestCase {
    private var daemons: [DaemonProcess] = []

    override func tearDown() {
        daemons.forEach { $0.cleanup() }
        super.tearDown()
    }

    private func make(extraConfig: String = "", keys: Bool = true) throws -> DaemonProcess {
        let d = try DaemonProcess(extraConfig: extraConfig, keys: keys)
        daemons.append(d)
        return d
    }

    func testFirstStartCreatesAdminTokenFile() throws {
        let d = try make(keys: false)
        try d.start()
        let tokenFile = d.dataDir.appendingPathComponent("admin.token")
        let attrs = try FileManager.default.attributesOfItem(atPath: tokenFile.path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let token = try String(contentsOf: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(d.log.contains("admin.token"), "the path is logged")
        XCTAssertFalse(d.log.contains(token), "the token is never logged")
        XCTAssertEqual(d.get("/v1/decisions", token: token).status, 200)
        // Only the hash is stored.
        // The database and its write-ahead log, where recent commits live until a checkpoint.
        var db = try Data(contentsOf: d.dataDir.appendingPathComponent("intake.sqlite"))
        db += (try? Data(contentsOf: d.dataDir.appendingPathComponent("intake.sqlite-wal"))) ?? Data()
        XCTAssertNil(db.range(of: Data(token.utf8)))
        XCTAssertNotNil(db.range(of: Data(sha256Hex(token).utf8)))
    }

    /// The store holds patient messages: whatever the umask the daemon was started with (this
    /// test's is usually 022) and however open an existing data directory was, the directory
    /// ends up closed to other users and the database, its log and index owner-only.
    func testStoreFilesArePrivateWhateverTheUmask() throws {
        let d = try make()
        try FileManager.default.createDirectory(at: d.dataDir, withIntermediateDirectories: true)
        let oldMask = umask(0o022)
        defer { umask(oldMask) }
        XCTAssertEqual(chmod(d.dataDir.path, 0o777), 0)
        try d.start()
        XCTAssertEqual(d.post("/v1/messages", json: ["conversation_id": "perm", "message_id": "m1", "text": "hours?"]).status, 200)
        func mode(_ name: String) throws -> Int {
            try (FileManager.default.attributesOfItem(atPath: d.dataDir.appendingPathComponent(name).path)[.posixPermissions]
                 as? NSNumber)?.intValue ?? -1
        }
        XCTAssertEqual(try mode(""), 0o750, "the data directory is narrowed")
        for name in ["intake.sqlite", "intake.sqlite-wal", "intake.sqlite-shm", "audit.key"] {
            XCTAssertEqual(try mode(name), 0o600, name)
        }
        XCTAssertTrue(d.log.contains("permissions_narrowed"), "the change is logged")
    }

    func testSigtermDrainsInFlightRequestsAndLosesNothing() throws {
        let d = try make()
        try d.start()
        let total = 300
        let group = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var answered: [String: String] = [:]   // conversation id -> decision id (200s only)
        nonisolated(unsafe) var statuses: [Int] = []
        for i in 0..<total {
            group.enter()
            d.postAsync("/v1/messages", json: ["conversation_id": "drain-\(i)", "message_id": "m1",
                                               "text": "I need to reschedule my physical"]) { r in
                lock.withLock {
                    statuses.append(r.status)
                    if r.status == 200, let id = (r.json["decision"] as? [String: Any])?["id"] as? String {
                        answered["drain-\(i)"] = id
                    }
                }
                group.leave()
            }
            if i == total / 3 { d.signal(SIGTERM) }
        }
        group.wait()
        XCTAssertEqual(d.waitForExit(), 0, "a clean stop exits 0")
        XCTAssertTrue(d.log.contains("event=stopped"))
        XCTAssertFalse(answered.isEmpty)
        // Restart on the same data: every answered decision is there.
        let again = try DaemonProcess(reusing: d)
        daemons.append(again)
        try again.start()
        let rows = again.get("/v1/decisions?limit=1000", token: DaemonProcess.auditToken).json["decisions"] as? [[String: Any]] ?? []
        let stored = Set(rows.compactMap { ($0["decision"] as? [String: Any])?["id"] as? String })
        for (conv, id) in answered { XCTAssertTrue(stored.contains(id), "decision for \(conv) answered 200 but not stored") }
        XCTAssertTrue(statuses.allSatisfy { $0 == 200 || $0 == 0 || $0 == 503 }, "statuses: \(Set(statuses))")
    }

    func testReloadKeepsOldRulesOnErrorAndSwapsOnSuccess() throws {
        let d = try make()
        try d.start()
        func version() -> String? {
            let r = d.post("/v1/messages", json: ["message_id": UUID().uuidString, "text": "what are your hours"])
            return (r.json["decision"] as? [String: Any])?["rules_version"] as? String
        }
        let before = try XCTUnwrap(version())
        let broken = d.rulesDir.appendingPathComponent("zz-broken.rules")
        try "threshold automate.min_confidence = 0.70\nthis is not a rule\n".write(to: broken, atomically: true, encoding: .utf8)

        d.signal(SIGHUP)
        // The failure line comes first, then one line per diagnostic: wait for both.
        waitUntil { d.log.contains("event=rules_reload_failed") && d.log.contains("zz-broken.rules:") }
        XCTAssertTrue(d.log.contains("zz-broken.rules:"), "diagnostics are logged with the file")
        XCTAssertEqual(version(), before, "the old rules stay in force")

        let api = d.post("/v1/admin/reload", token: DaemonProcess.adminToken, json: [:])
        XCTAssertEqual(api.status, 422)
        let details = (api.json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        XCTAssertFalse(details.isEmpty)
        XCTAssertEqual(details.first?["file"] as? String, "zz-broken.rules")
        XCTAssertNotNil(details.first?["line"] as? Int)
        XCTAssertEqual(d.post("/v1/admin/reload", token: DaemonProcess.ingestToken, json: [:]).status, 403)

        try "# an operator's note\n".write(to: broken, atomically: true, encoding: .utf8)
        let ok = d.post("/v1/admin/reload", token: DaemonProcess.adminToken, json: [:])
        XCTAssertEqual(ok.status, 200, ok.text)
        let after = try XCTUnwrap(ok.json["rules_version"] as? String)
        XCTAssertNotEqual(after, before, "the content hash changes with the files")
        XCTAssertEqual(version(), after)
    }

    func testSdNotifyLifecycle() throws {
        let path = NSTemporaryDirectory() + "intake-notify-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        func next() -> String {
            var buf = [UInt8](repeating: 0, count: 512)
            let n = recv(fd, &buf, buf.count, 0)
            return n > 0 ? String(decoding: buf[0..<n], as: UTF8.self) : ""
        }
        let d = try make()
        try d.start(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"])
        var seen: [String] = []
        for _ in 0..<3 { seen.append(next()) }
        XCTAssertTrue(seen.contains { $0.hasPrefix("READY=1") }, "\(seen)")
        XCTAssertTrue(seen.contains("WATCHDOG=1"), "\(seen)")
        d.signal(SIGHUP)
        var afterHup: [String] = []
        for _ in 0..<6 { afterHup.append(next()); if afterHup.last?.hasPrefix("READY=1") == true { break } }
        XCTAssertTrue(afterHup.contains { $0.hasPrefix("RELOADING=1") }, "\(afterHup)")
        XCTAssertTrue(afterHup.contains { $0.hasPrefix("READY=1") }, "\(afterHup)")
        d.signal(SIGTERM)
        var atStop: [String] = []
        for _ in 0..<6 { atStop.append(next()); if atStop.last == "STOPPING=1" { break } }
        XCTAssertTrue(atStop.contains("STOPPING=1"), "\(atStop)")
        XCTAssertEqual(d.waitForExit(), 0)
    }

    func testConfigErrorStopsStartupWithFileAndLine() throws {
        let d = try make(extraConfig: "[server2]\nlisten = x\n")
        let p = Process()
        p.executableURL = DaemonProcess.productsDir.appendingPathComponent("intaked")
        let conf = d.root.appendingPathComponent("intaked.conf").path
        p.arguments = ["--config", conf]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1)
        XCTAssertTrue(text.contains("\(conf):"), text)
        XCTAssertTrue(text.contains("unknown section [server2]"), text)
    }

    private func waitUntil(timeout: TimeInterval = 10, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(condition(), "condition not met in \(timeout)s")
    }
}
