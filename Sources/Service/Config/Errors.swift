import Foundation

/// Every error of a configuration file, in line order.
public struct ConfigErrors: Error, Sendable, Equatable, RandomAccessCollection {
    public var items: [ConfigError]
    public init(_ items: [ConfigError]) { self.items = items }
    public var startIndex: Int { items.startIndex }
    public var endIndex: Int { items.endIndex }
    public subscript(i: Int) -> ConfigError { items[i] }
}

/// Why the daemon cannot start with this configuration: one line per problem.
public struct StartupErrors: Error, Sendable, Equatable, RandomAccessCollection {
    public var lines: [String]
    public init(_ lines: [String]) { self.lines = lines }
    public var startIndex: Int { lines.startIndex }
    public var endIndex: Int { lines.endIndex }
    public subscript(i: Int) -> String { lines[i] }
}

/// A command-line or value error, said for the person typing.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
