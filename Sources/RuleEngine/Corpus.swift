import Foundation
import IntakeCore

/// One labelled case of a corpus file (`*.jsonl`, one JSON object a line).
public struct CorpusCase: Codable, Sendable, Equatable {
    public var id: String
    public var channel: String?
    public var text: String
    /// The acceptable routes (one, or several for a borderline case).
    public var routes: [Route]
    public var intent: Intent?
    public var service: String?
    public var note: String?

    /// An error in a corpus file, with its 1-based line.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses JSONL text; blank lines are skipped.
    public static func parseCorpus(_ text: String) -> Result<[CorpusCase], ParseError> {
        var cases: [CorpusCase] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                return .failure(ParseError(line: n + 1, message: "not a JSON object"))
            }
            guard let text = object["text"] as? String else { return .failure(ParseError(line: n + 1, message: "missing text")) }
            var routes: [Route] = []
            if let r = object["route"] as? String, let route = Route(rawValue: r) { routes = [route] }
            if let list = object["route"] as? [String] { routes = list.compactMap(Route.init(rawValue:)) }
            guard !routes.isEmpty else { return .failure(ParseError(line: n + 1, message: "missing or unknown route")) }
            var intent: Intent?
            if let i = object["intent"] as? String {
                guard let value = Intent(rawValue: i) else { return .failure(ParseError(line: n + 1, message: "unknown intent")) }
                intent = value
            }
            cases.append(CorpusCase(id: object["id"] as? String ?? "line-\(n + 1)", channel: object["channel"] as? String,
                                    text: text, routes: routes, intent: intent, service: object["service"] as? String,
                                    note: object["note"] as? String))
        }
        return .success(cases)
    }
}
