import IntakeCore

/// Identifiers the caller already knows about the patient (from the request's patient fields),
/// as plain strings so this module needs no service types. Each one found in the text is
/// replaced whatever its spelling or separators, in addition to the pattern-based passes.
public struct KnownIdentifiers: Sendable, Equatable {
    /// Full name, e.g. "María López". The full name and each part of two or more letters are matched.
    public var name: String?
    /// Phone number in any format; matched by its digits (last ten when longer).
    public var phone: String?
    /// Email address, matched case-insensitively.
    public var email: String?
    /// Date of birth, ideally `YYYY-MM-DD`; common written forms of that date are matched too.
    public var dateOfBirth: String?
    /// Medical record number or patient id, matched literally (case-insensitive).
    public var mrn: String?
    /// Any other identifiers (member ids, policy numbers), matched literally as `[ID]`.
    public var other: [String]

    /// Creates a set of known identifiers; all optional.
    public init(name: String? = nil, phone: String? = nil, email: String? = nil,
                dateOfBirth: String? = nil, mrn: String? = nil, other: [String] = []) {
        self.name = name; self.phone = phone; self.email = email
        self.dateOfBirth = dateOfBirth; self.mrn = mrn; self.other = other
    }

    /// No identifiers known: only the pattern passes run.
    public static let none = KnownIdentifiers()
}

extension KnownIdentifiers {
    /// The identifiers in a request's patient fields (`patient_id` is treated as an MRN).
    public init(patient: PatientInfo?) {
        self.init(name: patient?.name, phone: patient?.phone, email: patient?.email,
                  dateOfBirth: patient?.date_of_birth, mrn: patient?.patient_id)
    }
}
