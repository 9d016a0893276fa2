import Foundation

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

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var tm = tm()
        var secs = tv.tv_sec
        gmtime_r(&secs, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec, Int(tv.tv_usec / 1000))
    }
}
