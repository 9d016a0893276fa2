import Foundation

/// Reads the configuration the daemon runs with: defaults, the config file, then the flags.
public enum ConfigLoading {
    public static func load(flags: DaemonFlags) -> Result<Config, StartupErrors> {
        var config = Config()
        if let file = flags.configFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                return .failure(StartupErrors(["\(file): cannot read the configuration file"]))
            }
            switch ConfigParser.parse(text, file: file) {
            case .success(let c): config = c
            case .failure(let errors): return .failure(StartupErrors(errors.map(\.description)))
            }
        }
        switch flags.apply(to: config) {
        case .success(let c): return .success(c)
        case .failure(let message): return .failure(StartupErrors([message.description]))
        }
    }
}
