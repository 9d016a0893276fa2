import XCTest
@testable import Service

final class ConfigParserTests: XCTestCase {
    private let hash = String(repeating: "ab", count: 32)

    func testFullFileParses() throws {
        let text = """
        # comment
        [server]
        listen = 0.0.0.0:9090   # trailing comment
        max_body_bytes = 1024
        per_ip_connection_limit = 32
        [storage]
        data_dir = /var/lib/intake
        [rules]
        dir = /etc/intake/rules
        [prompts]
        dir = /etc/intake/prompts
        [clinic]
        timezone = America/Chicago
        [model]
        endpoint = http://127.0.0.1:8000/v1/chat/completions
        model = some-model
        timeout_ms = 900
        api_key_file = /etc/intake/model.key
        [key widget]
        sha256 = \(hash)
        scopes = ingest staff
        [webhook]
        url = https://cc.example/hooks
        secret_file = /etc/intake/webhook.secret
        """
        let c = try ConfigParser.parse(text, file: "intaked.conf").get()
        XCTAssertEqual(c.listenHost, "0.0.0.0")
        XCTAssertEqual(c.listenPort, 9090)
        XCTAssertEqual(c.maxBodyBytes, 1024)
        XCTAssertEqual(c.perIPConnectionLimit, 32)
        XCTAssertEqual(c.dataDir, "/var/lib/intake")
        XCTAssertEqual(c.rulesDir, "/etc/intake/rules")
        XCTAssertEqual(c.promptsDir, "/etc/intake/prompts")
        XCTAssertEqual(c.timezone, "America/Chicago")
        XCTAssertEqual(c.model?.timeoutMs, 900)
        XCTAssertEqual(c.keys, [Config.Key(name: "widget", sha256: hash, scopes: [.ingest, .staff])])
        XCTAssertEqual(c.webhook?.url, "https://cc.example/hooks")
    }

    func testEmptyFileKeepsDefaults() throws {
        let c = try ConfigParser.parse("", file: "x.conf").get()
        XCTAssertEqual(c, Config())
        XCTAssertEqual(c.listenPort, 8080)
        XCTAssertEqual(c.dataDir, "./var")
    }

    func testEveryErrorReportedWithFileAndLine() {
        let text = """
        [server]
        listen = nowhere
        colour = blue
        [nonsense]
        [clinic]
        timezone = Mars/Olympus
        [key bad]
        sha256 = 1234
        scopes = ingest
        [key k2]
        sha256 = \(hash)
        scopes = ingest wizard
        stray line
        """
        guard case .failure(let errors) = ConfigParser.parse(text, file: "a.conf") else { return XCTFail("expected errors") }
        XCTAssertEqual(errors.map(\.description), [
            "a.conf:2: 'listen' must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)",
            "a.conf:3: unknown key 'colour' in [server]",
            "a.conf:4: unknown section [nonsense]",
            "a.conf:6: unknown time zone 'Mars/Olympus'",
            "a.conf:8: 'sha256' must be 64 hex digits (the SHA-256 of the token)",
            "a.conf:12: unknown scope 'wizard' (scopes: ingest, staff, scheduling, audit, admin)",
            "a.conf:13: expected 'key = value'",
        ])
    }

    /// A checked Twilio signature needs the URL Twilio called; the Host header cannot vouch for it.
    func testTwilioTokenNeedsPublicURL() throws {
        let without = "[voice]\ntransfer_queue = desk\ntwilio_auth_token_file = /etc/intake/twilio.token\n"
        guard case .failure(let errors) = ConfigParser.parse(without, file: "v.conf") else { return XCTFail("expected an error") }
        XCTAssertEqual(errors.map(\.description), [
            "v.conf:3: 'twilio_auth_token_file' needs 'public_url', the URL Twilio calls (e.g. https://intake.clinic.example): "
                + "signatures are checked against it, never against the Host header",
        ])
        let with = without + "public_url = https://intake.clinic.example/\n"
        XCTAssertEqual(try ConfigParser.parse(with, file: "v.conf").get().voice.publicURL, "https://intake.clinic.example")
    }

    /// Plain http off this machine would carry patient data unencrypted: the daemon warns.
    func testPlaintextEndpointsOffThisMachine() throws {
        func found(_ model: String, _ webhook: String) throws -> [String] {
            let text = "[model]\nendpoint = \(model)\nmodel = m\n[webhook]\nurl = \(webhook)\nsecret_file = /s\n"
            return try ConfigParser.parse(text, file: "p.conf").get().plaintextEndpoints.map { "\($0.key) \($0.host)" }
        }
        XCTAssertEqual(try found("http://127.0.0.1:8000", "http://localhost:9000/hook"), [])
        XCTAssertEqual(try found("https://llm.example", "https://cc.example/hook"), [])
        XCTAssertEqual(try found("http://10.0.0.5:8000/v1", "http://cc.example/hook"),
                       ["[model] endpoint 10.0.0.5", "[webhook] url cc.example"])
    }

    func testKeyOutsideSectionAndDuplicates() {
        let text = "listen = 1.2.3.4:5\n[rules]\ndir = a\ndir = b\n[rules]\n"
        guard case .failure(let errors) = ConfigParser.parse(text, file: "c") else { return XCTFail() }
        XCTAssertEqual(errors.map(\.description), [
            "c:1: 'listen' is outside any section",
            "c:4: 'dir' is set twice in [rules]",
            "c:5: section [rules] appears twice",
        ])
    }

    func testFlagsOverrideConfig() throws {
        let flags = try DaemonFlags.parse(["--listen", "[::1]:7000", "--data-dir=/tmp/x", "--rules", "r"]).get()
        let c = try flags.apply(to: Config()).get()
        XCTAssertEqual(c.listenHost, "::1")
        XCTAssertEqual(c.listenPort, 7000)
        XCTAssertEqual(c.dataDir, "/tmp/x")
        XCTAssertEqual(c.rulesDir, "r")
        guard case .failure = DaemonFlags.parse(["--bogus"]) else { return XCTFail() }
        guard case .failure = DaemonFlags.parse(["--listen"]) else { return XCTFail() }
    }

    func testScopeList() {
        XCTAssertEqual(try Scope.parseList("ingest, audit").get(), [.ingest, .audit])
        guard case .failure(let bad) = Scope.parseList("ingest root") else { return XCTFail() }
        XCTAssertEqual(bad.description, "root")
    }
}
