import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `intaked` process on a loopback port with its own data directory, for end-to-end tests.
final class DaemonProcess: @unchecked Sendable {
    static let ingestToken = "itk_test_ingest_0123456789"
    static let staffToken = "itk_test_staff_0123456789"
    static let auditToken = "itk_test_audit_0123456789"
    static let adminToken = "itk_test_admin_0123456789"
    static let schedulingToken = "itk_test_scheduling_0123456789"

    let root: URL
    let process = Process()
    let stderrPipe = Pipe()
    private let lock = NSLock()
    private var logText = ""
    private(set) var port: UInt16 = 0

    var dataDir: URL { root.appendingPathComponent("data") }
    var rulesDir: URL { root.appendingPathComponent("rules") }
    var log: String { lock.withLock { logText } }

    /// The directory holding the built products (next to the test bundle).
    static var productsDir: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Prepares a data directory, a copy of the shipped rules, and a config with test keys.
    /// Start with `--demo-slots` (two weeks of weekday slots for every service).
    var demoSlots = false

    init(extraConfig: String = "", keys: Bool = true, root: URL? = nil, demoSlots: Bool = false) throws {
        self.demoSlots = demoSlots
        self.root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("intake-e2e-\(UUID().uuidString)")
        if root == nil {
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.repoRoot.appendingPathComponent("rules"), to: rulesDir)
        }
        var conf = """
        [server]
        listen = 127.0.0.1:0
        bench_endpoints = true
        drain_s = 20
        [storage]
        data_dir = \(dataDir.path)
        [rules]
        dir = \(rulesDir.path)
        [clinic]
        timezone = America/New_York

        """
        if keys {
            for (name, token, scope) in [("widget", Self.ingestToken, "ingest"), ("desk", Self.staffToken, "staff"),
                                         ("auditor", Self.auditToken, "audit"), ("ops", Self.adminToken, "admin"),
                                         ("booking", Self.schedulingToken, "scheduling")] {
                conf += "[key \(name)]\nsha256 = \(sha256Hex(token))\nscopes = \(scope)\n"
            }
        }
        conf += extraConfig
        try conf.write(to: self.root.appendingPathComponent("intaked.conf"), atomically: true, encoding: .utf8)
    }

    /// A daemon reusing another's directories (for restarts).
    convenience init(reusing other: DaemonProcess) throws {
        try self.init(root: other.root)
    }

    /// Starts the process and waits until it logs the port it listens on.
    func start(environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws {
        process.executableURL = Self.productsDir.appendingPathComponent("intaked")
        process.arguments = ["--config", root.appendingPathComponent("intaked.conf").path] + (demoSlots ? ["--demo-slots"] : [])
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardError = stderrPipe
        process.standardOutput = FileHandle.nullDevice
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.logText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let port = parsePort() { self.port = port; return }
            if !process.isRunning { break }
            usleep(20_000)
        }
        XCTFail("intaked did not start; log:\n\(log)", file: file, line: line)
        throw CocoaError(.fileReadUnknown)
    }

    private func parsePort() -> UInt16? {
        guard let range = log.range(of: "event=started listen=127.0.0.1:") else { return nil }
        let digits = log[range.upperBound...].prefix { $0.isNumber }
        return UInt16(digits)
    }

    /// Sends a signal to the process.
    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit and returns the exit status.
    @discardableResult
    func waitForExit(timeout: TimeInterval = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        return process.terminationStatus
    }

    /// Stops the process (SIGTERM) if it still runs.
    func shutdown() {
        if process.isRunning { signal(SIGTERM); if waitForExit(timeout: 10) == nil { signal(SIGKILL) } }
        stderrPipe.fileHandleForReading.readabilityHandler = nil
    }

    func cleanup() {
        shutdown()
        try? FileManager.default.removeItem(at: root)
    }

    // MARK: HTTP

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
    }

    /// One request over a real socket; blocks until answered.
    func request(_ method: String, _ path: String, token: String? = nil, body: Data? = nil,
                 contentType: String? = "application/json", headers: [String: String] = [:]) -> Response {
        var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        req.httpMethod = method
        req.timeoutInterval = 30
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body { req.httpBody = body; if let contentType { req.setValue(contentType, forHTTPHeaderField: "Content-Type") } }
        for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = Response(status: 0, headers: [:], body: Data())
        URLSession.shared.dataTask(with: req) { data, response, _ in
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
                result = Response(status: http.statusCode, headers: headers, body: data ?? Data())
            }
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    func post(_ path: String, token: String? = DaemonProcess.ingestToken, json: [String: Any]) -> Response {
        request("POST", path, token: token, body: try! JSONSerialization.data(withJSONObject: json))
    }

    func get(_ path: String, token: String?) -> Response { request("GET", path, token: token) }

    /// Starts a POST and returns at once; `completion` gets the answer (status 0 when the
    /// connection failed). For many concurrent requests: blocking one thread per request
    /// starves the dispatch pool that URLSession's callbacks need.
    func postAsync(_ path: String, token: String? = DaemonProcess.ingestToken, json: [String: Any],
                   completion: @escaping @Sendable (Response) -> Void) {
        var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        req.httpMethod = "POST"
        req.timeoutInterval = 30
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        req.httpBody = try! JSONSerialization.data(withJSONObject: json)
        URLSession.shared.dataTask(with: req) { data, response, _ in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            completion(Response(status: status, headers: [:], body: data ?? Data()))
        }.resume()
    }
}

/// SHA-256 hex via the sha256sum tool, so tests do not share the code under test.
func sha256Hex(_ text: String) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try! p.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try! input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(String(decoding: out, as: UTF8.self).prefix(64))
}

/// A request whose answer is awaited later: for streams that end when a call does.
final class PendingResponse: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the URLSession callback before `done` is signalled.
    private var body: String?

    init(_ request: URLRequest) {
        URLSession.shared.dataTask(with: request) { [self] data, _, _ in
            body = data.map { String(decoding: $0, as: UTF8.self) }
            done.signal()
        }.resume()
    }

    /// The whole body, or nil when it did not end within `timeout`.
    func wait(timeout: TimeInterval) -> String? {
        done.wait(timeout: .now() + timeout) == .success ? body : nil
    }
}

extension DaemonProcess {
    /// Starts a GET whose body streams; `wait` returns it once the server ends it.
    func startStream(_ path: String, token: String?, accept: String? = nil) -> PendingResponse {
        var req = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        req.timeoutInterval = 60
        if let token { req.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let accept { req.setValue(accept, forHTTPHeaderField: "Accept") }
        return PendingResponse(req)
    }
}

/// Raw TCP, for what URLSession will not do (vanish mid-request).
enum RawSocket {
    static func sendAndClose(port: UInt16, _ bytes: [UInt8], lingerSeconds: Double) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        Thread.sleep(forTimeInterval: lingerSeconds)
    }
}

/// A test case whose tests share one daemon, started before the class's first test and cleaned
/// up after its last. Subclasses override `makeDaemon()` to configure it; it is started after.
extension DaemonProcess {
    /// Runs the built `intakectl` with `args` and waits for it.
    static func intakectl(_ args: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = productsDir.appendingPathComponent("intakectl")
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try! p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

class SharedDaemonTestCase: XCTestCase {
    /// One daemon per test class (XCTest runs the classes one after another).
    nonisolated(unsafe) private static var daemons: [ObjectIdentifier: DaemonProcess] = [:]

    class func makeDaemon() throws -> DaemonProcess { try DaemonProcess() }

    override class func setUp() {
        super.setUp()
        let daemon = try! makeDaemon()
        try! daemon.start()
        daemons[ObjectIdentifier(self)] = daemon
    }

    override class func tearDown() {
        daemons.removeValue(forKey: ObjectIdentifier(self))?.cleanup()
        super.tearDown()
    }

    /// This class's daemon.
    var d: DaemonProcess { Self.daemons[ObjectIdentifier(type(of: self))]! }
}
