import Foundation
import ModelClient

/// Which keys each section accepts.
enum ConfigSchema {
    static func keys(for section: String) -> Set<String>? {
        switch section {
        case "server": ["listen", "max_body_bytes", "connection_limit", "per_ip_connection_limit", "connection_timeout_s", "threads", "drain_s", "watchdog_s", "bench_endpoints", "rate_limit_per_s", "rate_limit_burst"]
        case "storage": ["data_dir"]
        case "rules": ["dir"]
        case "prompts": ["dir"]
        case "clinic": ["timezone"]
        case "model": ["endpoint", "model", "timeout_ms", "api_key_file", "mode", "max_response_bytes", "concurrency"]
        case "key": ["sha256", "scopes"]
        case "webhook": ["url", "secret_file", "retry_base_ms", "retry_cap_ms", "max_attempts", "timeout_ms", "poll_ms"]
        case "voice": ["transfer_digits", "transfer_number", "transfer_queue", "twilio_auth_token_file", "public_url",
                       "max_concurrent_calls", "max_call_s", "max_events_per_call", "max_line_bytes", "heartbeat_s"]
        default: nil
        }
    }
}

/// Turns the raw values of one section into typed configuration, validating each.
struct ConfigApplier {
    var config: Config
    let values: [String: (value: String, line: Int)]
    let sectionLine: Int
    var problems: [(line: Int, message: String)] = []

    init(config: Config, values: [String: (value: String, line: Int)], sectionLine: Int) {
        self.config = config; self.values = values; self.sectionLine = sectionLine
    }

    mutating func apply(section: String, keyName: String?) {
        switch section {
        case "server": applyServer()
        case "storage": string("data_dir") { $0.dataDir = $1 }
        case "prompts": string("dir") { $0.promptsDir = $1 }
        case "rules": string("dir") { $0.rulesDir = $1 }
        case "clinic": applyClinic()
        case "model": applyModel()
        case "key": applyKey(name: keyName ?? "")
        case "webhook": applyWebhook()
        case "voice": applyVoice()
        default: break
        }
    }

    private mutating func problem(_ key: String, _ message: String) {
        problems.append((values[key]?.line ?? sectionLine, message))
    }

    private mutating func string(_ key: String, _ set: (inout Config, String) -> Void) {
        guard let v = values[key]?.value else { return }
        guard !v.isEmpty else { return problem(key, "'\(key)' must not be empty") }
        set(&config, v)
    }

    private mutating func int(_ key: String, _ range: ClosedRange<Int>, _ set: (inout Config, Int) -> Void) {
        guard let v = values[key]?.value else { return }
        guard let n = Int(v), range.contains(n) else {
            return problem(key, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        set(&config, n)
    }

    private mutating func applyServer() {
        if let v = values["listen"]?.value {
            if let (host, port) = ListenAddress.parse(v) { config.listenHost = host; config.listenPort = port }
            else { problem("listen", "'listen' must be HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)") }
        }
        int("max_body_bytes", 256...16_777_216) { $0.maxBodyBytes = $1 }
        int("connection_limit", 1...65_536) { $0.connectionLimit = $1 }
        int("per_ip_connection_limit", 0...65_536) { $0.perIPConnectionLimit = $1 }
        int("connection_timeout_s", 1...3600) { $0.connectionTimeoutSeconds = $1 }
        int("threads", 1...64) { $0.threads = $1 }
        int("drain_s", 0...600) { $0.drainSeconds = Double($1) }
        int("watchdog_s", 1...3600) { $0.watchdogSeconds = Double($1) }
        int("rate_limit_per_s", 0...1_000_000) { $0.rateLimitPerSecond = Double($1) }
        int("rate_limit_burst", 1...10_000_000) { $0.rateLimitBurst = $1 }
        if let v = values["bench_endpoints"]?.value {
            switch v {
            case "true", "yes", "on": config.benchEndpoints = true
            case "false", "no", "off": config.benchEndpoints = false
            default: problem("bench_endpoints", "'bench_endpoints' must be true or false")
            }
        }
    }

    private mutating func applyClinic() {
        guard let v = values["timezone"]?.value else { return }
        guard TimeZone(identifier: v) != nil else { return problem("timezone", "unknown time zone '\(v)'") }
        config.timezone = v
    }

    private mutating func applyModel() {
        guard let endpoint = values["endpoint"]?.value, let model = values["model"]?.value else {
            return problem("endpoint", "[model] needs both 'endpoint' and 'model'")
        }
        guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return problem("endpoint", "'endpoint' must be an http(s) URL")
        }
        var m = Config.Model(endpoint: endpoint, model: model)
        if let v = values["timeout_ms"]?.value {
            guard let n = Int(v), (50...120_000).contains(n) else {
                return problem("timeout_ms", "'timeout_ms' must be a whole number from 50 to 120000")
            }
            m.timeoutMs = n
        }
        m.apiKeyFile = values["api_key_file"]?.value
        if let v = values["mode"]?.value {
            guard let mode = ModelMode(rawValue: v) else { return problem("mode", "'mode' must be off, shadow or on") }
            m.mode = mode
        }
        if let v = values["max_response_bytes"]?.value {
            guard let n = Int(v), (1024...16_777_216).contains(n) else {
                return problem("max_response_bytes", "'max_response_bytes' must be a whole number from 1024 to 16777216")
            }
            m.maxResponseBytes = n
        }
        if let v = values["concurrency"]?.value {
            guard let n = Int(v), (1...256).contains(n) else {
                return problem("concurrency", "'concurrency' must be a whole number from 1 to 256")
            }
            m.concurrency = n
        }
        config.model = m
    }

    private mutating func applyKey(name: String) {
        guard let hash = values["sha256"]?.value.lowercased() else { return problem("sha256", "[key \(name)] needs 'sha256'") }
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit }) else {
            return problem("sha256", "'sha256' must be 64 hex digits (the SHA-256 of the token)")
        }
        guard let list = values["scopes"]?.value else { return problem("scopes", "[key \(name)] needs 'scopes'") }
        switch Scope.parseList(list) {
        case .failure(let bad):
            problem("scopes", "unknown scope '\(bad)' (scopes: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")))")
        case .success(let scopes) where scopes.isEmpty:
            problem("scopes", "'scopes' must name at least one scope")
        case .success(let scopes):
            config.keys.append(Config.Key(name: name, sha256: hash, scopes: scopes))
        }
    }

    private mutating func applyVoice() {
        if let v = values["transfer_digits"]?.value {
            let digits = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !digits.isEmpty, digits.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "0123456789*#".contains($0) } }) else {
                return problem("transfer_digits", "'transfer_digits' must be a comma-separated list of keypad keys (0-9, *, #)")
            }
            config.voice.transferDigits = Set(digits)
        }
        if let v = values["transfer_number"]?.value { config.voice.transferNumber = v }
        if let v = values["transfer_queue"]?.value { config.voice.transferQueue = v }
        if let v = values["twilio_auth_token_file"]?.value { config.voice.twilioAuthTokenFile = v }
        if let v = values["public_url"]?.value {
            guard let url = URL(string: v), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                return problem("public_url", "'public_url' must be an http(s) URL")
            }
            config.voice.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v
        }
        if config.voice.twilioAuthTokenFile != nil && values["public_url"] == nil {
            problem("twilio_auth_token_file", "'twilio_auth_token_file' needs 'public_url', the URL Twilio calls "
                    + "(e.g. https://intake.clinic.example): signatures are checked against it, never against the Host header")
        }
        int("max_concurrent_calls", 1...100_000) { $0.voice.maxConcurrentCalls = $1 }
        int("max_call_s", 10...86_400) { $0.voice.maxCallSeconds = Double($1) }
        int("max_events_per_call", 10...1_000_000) { $0.voice.maxEventsPerCall = $1 }
        int("max_line_bytes", 256...1_048_576) { $0.voice.maxLineBytes = $1 }
        int("heartbeat_s", 1...300) { $0.voice.heartbeatSeconds = Double($1) }
    }

    private mutating func applyWebhook() {
        guard let v = values["url"]?.value else { return problem("url", "[webhook] needs 'url'") }
        guard let url = URL(string: v), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return problem("url", "'url' must be an http(s) URL")
        }
        config.webhook = Config.Webhook(url: v, secretFile: values["secret_file"]?.value)
        int("retry_base_ms", 1...3_600_000) { $0.webhook?.retryBaseMs = $1 }
        int("retry_cap_ms", 1...86_400_000) { $0.webhook?.retryCapMs = $1 }
        int("max_attempts", 1...1000) { $0.webhook?.maxAttempts = $1 }
        int("timeout_ms", 100...120_000) { $0.webhook?.timeoutMs = $1 }
        int("poll_ms", 10...60_000) { $0.webhook?.pollMs = $1 }
    }
}

/// `HOST:PORT`, with IPv6 hosts in brackets.
public enum ListenAddress {
    public static func parse(_ text: String) -> (String, UInt16)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText) else { return nil }
        return (String(host), port)
    }
}
