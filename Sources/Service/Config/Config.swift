import Foundation
import ModelClient

/// The daemon's configuration: embedded defaults, then the INI file, then command-line flags.
public struct Config: Sendable, Equatable {
    /// An API key as configured: only the SHA-256 of the token is ever stored.
    public struct Key: Sendable, Equatable {
        public var name: String
        public var sha256: String
        public var scopes: Set<Scope>
    }

    /// The optional model endpoint.
    public struct Model: Sendable, Equatable {
        public var endpoint: String
        public var model: String
        public var timeoutMs: Int = 1500
        public var apiKeyFile: String?
        /// Extension: `off`, `shadow` (called and recorded, never used) or `on`.
        public var mode: ModelMode = .on
        /// Extension: largest model response body accepted, in bytes.
        public var maxResponseBytes = 64 * 1024
        /// Extension: most model calls in flight at once; more are skipped, not queued.
        public var concurrency = 4
    }

    /// The optional webhook receiver.
    public struct Webhook: Sendable, Equatable {
        public var url: String
        public var secretFile: String?
        /// Extension: delivery tuning (first retry ceiling, largest ceiling, attempts before
        /// an event is dead, per-request timeout, how often the outbox is polled).
        public var retryBaseMs = 2000
        public var retryCapMs = 3_600_000
        public var maxAttempts = 15
        public var timeoutMs = 5000
        public var pollMs = 1000
    }

    /// Extension: the `[voice]` section for phone calls.
    public struct Voice: Sendable, Equatable {
        /// Keypad keys that hand the caller to a person.
        public var transferDigits: Set<String> = ["0"]
        /// Where Twilio `<Dial>`s on transfer; without it, `<Enqueue>` into `transferQueue`.
        public var transferNumber: String?
        public var transferQueue = "front_desk"
        /// With it, `X-Twilio-Signature` is required and verified.
        public var twilioAuthTokenFile: String?
        /// The externally visible base URL Twilio posts to (the signature covers it).
        public var publicURL: String?
        public var maxConcurrentCalls = 500
        public var maxCallSeconds: Double = 4 * 3600
        public var maxEventsPerCall = 2000
        public var maxLineBytes = 16_384
        public var heartbeatSeconds: Double = 15
        public init() {}
    }

    public var listenHost = "127.0.0.1"
    public var listenPort: UInt16 = 8080
    public var maxBodyBytes = 65536
    public var connectionLimit = 1024
    /// Extension: connections from one client address; 0 (default) for no limit beyond `connectionLimit`.
    public var perIPConnectionLimit = 0
    public var connectionTimeoutSeconds = 30
    public var threads = 2
    /// Extension: expose `POST /v1/bench/noop` for benchmarks.
    public var benchEndpoints = false
    /// Extension: requests a second allowed per API key (token bucket); 0 turns limiting off.
    public var rateLimitPerSecond: Double = 0
    /// Extension: the bucket size (burst); default twice the rate.
    public var rateLimitBurst: Int?
    public var dataDir = "./var"
    public var rulesDir = "./rules"
    public var promptsDir = "./prompts"
    public var timezone = "America/New_York"
    public var model: Model?
    public var keys: [Key] = []
    public var webhook: Webhook?
    public var voice = Voice()
    /// Extension: load `Scheduling.DemoSlots` at startup (`intaked --demo-slots`, used by `make run`).
    public var demoSlots = false
    /// Seconds the daemon waits for in-flight requests when stopping.
    public var drainSeconds = 10.0
    /// Seconds between systemd watchdog pings when WATCHDOG_USEC is not set by systemd.
    public var watchdogSeconds: Double?

    public init() {}

    /// The clinic's time zone (validated when the config is parsed).
    public var timeZone: TimeZone { TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")! }

    /// The SQLite database inside the data directory.
    public var databasePath: String { dataDir + "/intake.sqlite" }

    /// The outbound endpoints that would carry patient data in clear text: plain `http` to a
    /// host other than this machine (the model endpoint gets redacted text and the API key, a
    /// webhook the handoff packet). As `(config key, host)`; the daemon warns about each at start.
    public var plaintextEndpoints: [(key: String, host: String)] {
        var found: [(String, String)] = []
        for (key, value) in [("[model] endpoint", model?.endpoint), ("[webhook] url", webhook?.url)] {
            guard let value, let url = URL(string: value), url.scheme == "http", let host = url.host else { continue }
            let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
            if !loopback { found.append((key, host)) }
        }
        return found
    }
}

/// An error in the configuration file, reported as `FILE:LINE: message`.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
