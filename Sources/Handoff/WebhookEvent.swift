import Foundation
import IntakeCore

/// Webhook event types of the contract, plus `escalation.updated` (priority raised, reopened).
public enum WebhookEventType: String, Codable, Sendable, CaseIterable {
    case escalationCreated = "escalation.created"
    case escalationUpdated = "escalation.updated"
    case emergencyDetected = "emergency.detected"
    case bookingCreated = "booking.created"
    case bookingCancelled = "booking.cancelled"
}

/// One webhook event as POSTed: `{"id", "type", "created_at", "data"}`. The id is stable across
/// retries so receivers can deduplicate (delivery is at least once).
public struct WebhookEvent: Codable, Sendable, Equatable {
    /// `evt_` + 24 hex digits.
    public var id: String
    public var type: WebhookEventType
    /// RFC 3339, UTC with milliseconds.
    public var created_at: String
    public var data: [String: JSONValue]

    public init(id: String = IDs.make("evt"), type: WebhookEventType, createdAt: Date, data: [String: JSONValue]) {
        self.id = id; self.type = type; self.created_at = RFC3339.format(createdAt); self.data = data
    }

    /// The exact bytes to store in the outbox and POST: compact JSON with sorted keys, so the
    /// same event always has the same body and signature.
    public func body() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding this tree of strings, numbers and objects cannot fail.
        return try! encoder.encode(self)
    }

    /// Reads an event back from its stored body.
    public static func decode(_ body: Data) throws -> WebhookEvent {
        try JSONDecoder().decode(WebhookEvent.self, from: body)
    }
}

/// Outbox row status, as stored.
public enum OutboxStatus: String, Codable, Sendable, CaseIterable {
    case pending, delivered, dead
}
