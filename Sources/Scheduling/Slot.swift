import Foundation
import IntakeCore

/// One bookable appointment slot.
///
/// JSON form (the contract's): `{"id", "service", "start", "end", "provider"?, "location"?,
/// "new_patient_ok"?, "language"?}` with RFC 3339 times. `language` is a code ("es") or a
/// list of codes; `languages` is accepted as well on input.
public struct Slot: Codable, Sendable, Equatable, Hashable {
    /// Stable identifier, unique within the inventory.
    public var id: String
    /// Service label from LABELS.md, e.g. "dermatology".
    public var service: String
    /// Provider name or identifier.
    public var provider: String?
    /// Location name or identifier.
    public var location: String?
    /// Start of the appointment.
    public var start: Date
    /// End of the appointment (after `start`).
    public var end: Date
    /// Languages spoken at the visit (lowercase codes); nil when unknown.
    public var languages: [String]?
    /// Whether new patients may book this slot; nil when unrestricted.
    public var newPatients: Bool?

    /// Creates a slot.
    public init(id: String, service: String, provider: String? = nil, location: String? = nil,
                start: Date, end: Date, languages: [String]? = nil, newPatients: Bool? = nil) {
        self.id = id; self.service = service; self.provider = provider; self.location = location
        self.start = start; self.end = end; self.languages = languages; self.newPatients = newPatients
    }

    enum CodingKeys: String, CodingKey {
        case id, service, provider, location, start, end, language, languages
        case newPatients = "new_patient_ok"
    }

    /// Decodes the contract's JSON form; times must be RFC 3339.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        service = try c.decode(String.self, forKey: .service)
        provider = try c.decodeIfPresent(String.self, forKey: .provider)
        location = try c.decodeIfPresent(String.self, forKey: .location)
        start = try Self.decodeDate(c, .start)
        end = try Self.decodeDate(c, .end)
        newPatients = try c.decodeIfPresent(Bool.self, forKey: .newPatients)
        if let one = try? c.decodeIfPresent(String.self, forKey: .language) {
            languages = [one.lowercased()]
        } else if let many = try? c.decodeIfPresent([String].self, forKey: .language) {
            languages = many.map { $0.lowercased() }
        } else {
            languages = try c.decodeIfPresent([String].self, forKey: .languages)?.map { $0.lowercased() }
        }
    }

    /// Encodes the contract's JSON form, times in UTC RFC 3339.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(service, forKey: .service)
        try c.encodeIfPresent(provider, forKey: .provider)
        try c.encodeIfPresent(location, forKey: .location)
        try c.encode(Timestamps.format(start), forKey: .start)
        try c.encode(Timestamps.format(end), forKey: .end)
        try c.encodeIfPresent(languages, forKey: .language)
        try c.encodeIfPresent(newPatients, forKey: .newPatients)
    }

    private static func decodeDate(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date {
        let text = try c.decode(String.self, forKey: key)
        guard let date = Timestamps.parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c,
                                                   debugDescription: "\(key.stringValue) is not an RFC 3339 time")
        }
        return date
    }
}

/// What the dialogue asks the Service to search for: free, unheld slots of `service`.
/// The Service filters by service and by `from`/`to` (start times), drops `excluding`,
/// and hands the candidates back through `DialogueEvent.slotsFound`; ranking is the
/// dialogue's job (it calls `SlotMatcher`).
public struct SlotQuery: Codable, Sendable, Equatable {
    /// Service label.
    public var service: String
    /// Earliest start, inclusive.
    public var from: Date
    /// Latest start, exclusive; nil for no limit.
    public var to: Date?
    /// Slot ids the patient already declined or that were taken.
    public var excluding: [String]

    /// Creates a query.
    public init(service: String, from: Date, to: Date? = nil, excluding: [String] = []) {
        self.service = service; self.from = from; self.to = to; self.excluding = excluding
    }
}
