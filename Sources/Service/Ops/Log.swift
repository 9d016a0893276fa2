import Foundation
import IntakeCore

/// Structured log lines (logfmt) on stderr, which journald collects. Callers pass codes and
/// identifiers only: never message text or patient fields.
public struct Log: Sendable {
    public enum Level: String, Sendable { case debug, info, warning, error }

    /// Where lines go; tests capture them.
    let sink: @Sendable (String) -> Void

    public init(sink: @escaping @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }) {
        self.sink = sink
    }

    public func callAsFunction(_ level: Level, _ event: String, _ fields: [(String, String)] = []) {
        var line = "ts=\(Self.timestamp()) level=\(level.rawValue) event=\(event)"
        for (k, v) in fields { line += " \(k)=\(Self.quote(v))" }
        sink(line)
    }

    static func quote(_ v: String) -> String {
        let needs = v.isEmpty || v.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline })
        guard needs else { return v }
        return "\"" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func timestamp() -> String { RFC3339.format(Date()) }
}
