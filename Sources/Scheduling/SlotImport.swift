import Foundation
import IntakeCore

/// Why an import was refused: every invalid record, by index, with the reason.
///
/// The index is the record's position: the array index for a JSON array, the 0-based line
/// number for NDJSON (blank lines count), the `entry` index for a FHIR Bundle. Index -1 means
/// the document as a whole (malformed JSON, too large, unknown format).
public struct SlotImportFailure: Error, Sendable, CustomStringConvertible {
    /// Invalid records, in document order; at most `SlotImport.maxIssues` of them.
    public let issues: [(index: Int, message: String)]
    /// The body (or an NDJSON line) is not JSON at all, as opposed to JSON records that are
    /// not valid slots: the HTTP answer is 400 rather than 422.
    public var malformed = false

    /// Creates a failure from issues.
    public init(issues: [(index: Int, message: String)], malformed: Bool = false) {
        self.issues = issues; self.malformed = malformed
    }

    /// One issue a line: `record 3: end is not after start`.
    public var description: String {
        issues.map { $0.index < 0 ? $0.message : "record \($0.index): \($0.message)" }
            .joined(separator: "\n")
    }
}

/// The outcome of a successful import: the free slots, and the ids of slots the source marks
/// unavailable (FHIR `busy*`), which the Service may use to block slots it already stores.
public struct SlotBatch: Sendable, Equatable {
    /// Slots to upsert as free.
    public var free: [Slot]
    /// Ids of slots present in the source but not bookable.
    public var unavailable: [String]
    /// Creates a batch.
    public init(free: [Slot], unavailable: [String]) { self.free = free; self.unavailable = unavailable }
}

/// Parses slot inventories: a JSON array, NDJSON, or a FHIR R4 Bundle of Slot resources.
/// All-or-nothing: one invalid record fails the whole import.
public enum SlotImport {
    /// Most records one import accepts.
    public static let maxRecords = 50_000
    /// Most issues reported; the last one says how many more there were.
    public static let maxIssues = 100

    /// Parses `bytes` into free slots. `contentType` picks the format
    /// (`application/x-ndjson`, `application/fhir+json`, `application/json`); without one,
    /// the format is recognised from the content.
    public static func parse(_ bytes: [UInt8], contentType: String?) -> Result<[Slot], SlotImportFailure> {
        parseBatch(bytes, contentType: contentType).map(\.free)
    }

    /// Like `parse`, also returning the ids of unavailable slots (FHIR `busy*` statuses).
    public static func parseBatch(_ bytes: [UInt8], contentType: String?) -> Result<SlotBatch, SlotImportFailure> {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        if type == "application/x-ndjson" || type == "application/jsonl" {
            return parseNDJSON(bytes)
        }
        let data = Data(bytes)
        guard let doc = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            // Several JSON objects one per line do not parse as one document.
            let first = bytes.first { ![9, 10, 13, 32].contains($0) }
            if (type == nil || type == "application/json") && first == UInt8(ascii: "{") { return parseNDJSON(bytes) }
            var failure = documentIssue("the body is not valid JSON")
            failure.malformed = true
            return .failure(failure)
        }
        if let array = doc as? [Any] { return records(array.enumerated().map { ($0.offset, $0.element) }) }
        if let object = doc as? [String: Any] {
            if object["resourceType"] as? String == "Bundle" { return FHIRSlotBundle.parse(object) }
            if object["resourceType"] != nil {
                return .failure(documentIssue("a FHIR document must be a Bundle of Slot resources"))
            }
            return records([(0, object)])
        }
        return .failure(documentIssue("expected a JSON array, NDJSON, or a FHIR Bundle"))
    }

    static func parseNDJSON(_ bytes: [UInt8]) -> Result<SlotBatch, SlotImportFailure> {
        var items: [(Int, Any)] = []
        var issues: [(index: Int, message: String)] = []
        for (n, line) in bytes.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            if let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                items.append((n, value))
            } else {
                issues.append((n, "not valid JSON"))
            }
        }
        if !issues.isEmpty {
            // Report the records that do parse as well, so one pass shows every problem.
            let rest = records(items)
            if case .failure(let more) = rest { issues += more.issues }
            var failure = capped(issues.sorted { $0.index < $1.index })
            failure.malformed = true
            return .failure(failure)
        }
        return records(items)
    }

    /// Validates plain JSON slot records.
    static func records(_ items: [(Int, Any)]) -> Result<SlotBatch, SlotImportFailure> {
        guard items.count <= maxRecords else { return .failure(documentIssue("more than \(maxRecords) records")) }
        var slots: [Slot] = []
        var issues: [(index: Int, message: String)] = []
        var seen = Set<String>()
        for (index, item) in items {
            switch record(item) {
            case .success(let slot):
                if !seen.insert(slot.id).inserted {
                    issues.append((index, "duplicate id \(slot.id)"))
                } else {
                    slots.append(slot)
                }
            case .failure(let message):
                issues.append((index, message.text))
            }
        }
        if !issues.isEmpty { return .failure(capped(issues)) }
        return .success(SlotBatch(free: slots, unavailable: []))
    }

    /// Validates one plain JSON slot record.
    static func record(_ item: Any) -> Result<Slot, Problem> {
        guard let o = item as? [String: Any] else { return .failure(Problem("not a JSON object")) }
        guard let id = nonEmpty(o["id"]) else { return .failure(Problem("id is missing or empty")) }
        guard let service = nonEmpty(o["service"]) else { return .failure(Problem("service is missing or empty")) }
        guard let start = (o["start"] as? String).flatMap(Timestamps.parse) else {
            return .failure(Problem("start is missing or not an RFC 3339 time"))
        }
        guard let end = (o["end"] as? String).flatMap(Timestamps.parse) else {
            return .failure(Problem("end is missing or not an RFC 3339 time"))
        }
        guard end > start else { return .failure(Problem("end is not after start")) }
        for key in ["provider", "location"] where o[key] != nil && !(o[key] is String) && !(o[key] is NSNull) {
            return .failure(Problem("\(key) must be a string"))
        }
        var newPatients: Bool?
        if let flag = o["new_patient_ok"], !(flag is NSNull) {
            guard JSONTypes.isBoolean(flag), let b = flag as? Bool else {
                return .failure(Problem("new_patient_ok must be true or false"))
            }
            newPatients = b
        }
        guard let languages = languageList(o["language"] ?? o["languages"]) else {
            return .failure(Problem("language must be a string or a list of strings"))
        }
        if let status = o["status"] as? String, status != "free" {
            return .failure(Problem("status \(status) cannot be imported as free"))
        }
        return .success(Slot(id: id, service: normalizedLabel(service), provider: o["provider"] as? String,
                             location: o["location"] as? String, start: start, end: end,
                             languages: languages.value, newPatients: newPatients))
    }

    /// A reason a record is invalid.
    struct Problem: Error { let text: String; init(_ text: String) { self.text = text } }

    /// Wraps an optional list so "absent" and "invalid" differ: nil is invalid.
    struct Languages { let value: [String]? }

    static func languageList(_ value: Any?) -> Languages? {
        guard let value, !(value is NSNull) else { return Languages(value: nil) }
        if let one = value as? String { return Languages(value: [one.lowercased()]) }
        if let many = value as? [Any] {
            let strings = many.compactMap { $0 as? String }
            return strings.count == many.count ? Languages(value: strings.map { $0.lowercased() }) : nil
        }
        return nil
    }

    static func nonEmpty(_ value: Any?) -> String? {
        guard let s = value as? String else { return nil }
        let t = s.trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : t
    }

    /// `"Physical Therapy"` → `physical_therapy`.
    static func normalizedLabel(_ text: String) -> String {
        text.lowercased().trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }

    static func documentIssue(_ message: String) -> SlotImportFailure {
        SlotImportFailure(issues: [(-1, message)])
    }

    static func capped(_ issues: [(index: Int, message: String)]) -> SlotImportFailure {
        guard issues.count > maxIssues else { return SlotImportFailure(issues: issues) }
        let kept = Array(issues.prefix(maxIssues - 1))
        return SlotImportFailure(issues: kept + [(-1, "and \(issues.count - kept.count) more invalid records")])
    }
}
