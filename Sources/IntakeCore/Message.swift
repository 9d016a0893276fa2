import Foundation

/// Patient fields a client may send with a message. Never logged, never sent to a model.
public struct PatientInfo: Codable, Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var date_of_birth: String?
    public var patient_id: String?
    public var new_patient: Bool?
    public var language: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil,
                date_of_birth: String? = nil, patient_id: String? = nil,
                new_patient: Bool? = nil, language: String? = nil) {
        self.name = name; self.phone = phone; self.email = email
        self.date_of_birth = date_of_birth; self.patient_id = patient_id
        self.new_patient = new_patient; self.language = language
    }
}

/// One inbound patient message, validated.
public struct InboundMessage: Sendable, Equatable {
    public var conversationID: String
    public var messageID: String
    public var channel: Channel
    public var text: String
    /// Reference time for relative dates; the server clock when the client sent none.
    public var sentAt: Date
    public var patient: PatientInfo?

    public init(conversationID: String, messageID: String, channel: Channel, text: String,
                sentAt: Date, patient: PatientInfo? = nil) {
        self.conversationID = conversationID; self.messageID = messageID
        self.channel = channel; self.text = text; self.sentAt = sentAt; self.patient = patient
    }
}
