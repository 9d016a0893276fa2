import Foundation

/// Command-line flags of `intaked`. Flags override the config file.
public struct DaemonFlags: Sendable, Equatable {
    public var configFile: String?
    public var listen: String?
    public var dataDir: String?
    public var rulesDir: String?
    public var promptsDir: String?
    /// Extension: load demo slots relative to today (used by `make run`).
    public var demoSlots = false
    public var help = false

    public init() {}

    /// Parses `arguments` (without the program name). Accepts `--flag value` and `--flag=value`.
    public static func parse(_ arguments: [String]) -> Result<DaemonFlags, UsageError> {
        var flags = DaemonFlags()
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            var name = arg
            var inline: String?
            if let eq = arg.firstIndex(of: "="), arg.hasPrefix("--") {
                name = String(arg[..<eq]); inline = String(arg[arg.index(after: eq)...])
            }
            func value() -> String? { inline ?? rest.popFirst() }
            switch name {
            case "--help", "-h": flags.help = true
            case "--demo-slots": flags.demoSlots = true
            case "--config", "--listen", "--data-dir", "--rules", "--prompts":
                guard let v = value(), !v.isEmpty else { return .failure(UsageError("\(name) needs a value")) }
                switch name {
                case "--config": flags.configFile = v
                case "--listen": flags.listen = v
                case "--data-dir": flags.dataDir = v
                case "--rules": flags.rulesDir = v
                default: flags.promptsDir = v
                }
            default: return .failure(UsageError("unknown argument '\(arg)'"))
            }
        }
        return .success(flags)
    }

    /// The usage text.
    public static let usage = """
    usage: intaked [--config FILE] [--listen HOST:PORT] [--data-dir DIR] [--rules DIR] [--prompts DIR] [--demo-slots]
    """

    /// Applies the flags on top of `config`.
    public func apply(to config: Config) -> Result<Config, UsageError> {
        var c = config
        if let listen {
            guard let (host, port) = ListenAddress.parse(listen) else { return .failure(UsageError("--listen must be HOST:PORT")) }
            c.listenHost = host; c.listenPort = port
        }
        if let dataDir { c.dataDir = dataDir }
        if let rulesDir { c.rulesDir = rulesDir }
        if let promptsDir { c.promptsDir = promptsDir }
        if demoSlots { c.demoSlots = true }
        return .success(c)
    }
}
