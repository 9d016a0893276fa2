import XCTest
@testable import Redaction
import IntakeCore

final class RedactorTests: XCTestCase {
    private func r(_ text: String, _ known: KnownIdentifiers = .none) -> Redacted {
        Redactor.redact(text, known: known)
    }

    func testPhoneFormats() {
        let cases = [
            "call me at (555) 123-4567 please", "call me at 555-123-4567 please",
            "call me at 555.123.4567 please", "call me at 5551234567 please",
            "call me at +1 555 123 4567 please", "call me at 1-555-123-4567 please",
            "llámame al +34 612 34 56 78 por favor", "llámame al 612 345 678 por favor",
            "llámame al 612345678 por favor", "call me at 555-1234 please",
        ]
        for text in cases {
            let out = r(text)
            XCTAssertEqual(out.count(.phone), 1, "\(text) -> \(out.text)")
            XCTAssertFalse(out.text.contains(where: \.isNumber), "\(text) -> \(out.text)")
        }
    }

    func testEmails() {
        let out = r("write to Jane.Doe+clinic@Example.co.uk or j_doe@mail.example.org")
        XCTAssertEqual(out.text, "write to [EMAIL] or [EMAIL]")
        XCTAssertEqual(out.count(.email), 2)
    }

    func testDatesOfBirthInManyForms() {
        let cases = [
            "my DOB is 03/04/1980, can I book?", "DOB: 3-4-80 thanks",
            "date of birth 1980-03-04", "I was born on March 4th, 1980",
            "born 4 March 1980", "birthday is March fourth nineteen eighty",
            "date of birth is the fourth of March, nineteen eighty-two",
            "mi fecha de nacimiento es 4 de marzo de 1980", "nací el 04/03/1980",
            "patient 03/04/1975 needs refill",
            "nací el cuatro de marzo de mil novecientos ochenta y dos",
        ]
        for text in cases {
            let out = r(text)
            XCTAssertEqual(out.count(.dob), 1, "\(text) -> \(out.text)")
            XCTAssertFalse(out.text.contains("198") || out.text.contains("1975"), out.text)
            XCTAssertFalse(out.text.lowercased().contains("eighty") || out.text.contains("ochenta") || out.text.contains("marzo"), out.text)
        }
    }

    func testAppointmentDatesAndTimesAreKept() {
        let texts = [
            "Can I come Tuesday at 9:30 or March 10 at 3pm?",
            "I need to reschedule my 3/10 appointment to 10:15 next week",
            "Is 2026-03-10 at 14:00 free? Or the 12th between 2 and 4",
            "¿Tienen cita el martes 10 de marzo a las 9:30?",
            "cancel my appointment on March 10, 2026 at 9",
            "I'm Having chest pain since 10 this morning",
        ]
        for text in texts {
            let out = r(text)
            XCTAssertEqual(out.text, text, "over-redacted: \(out.text)")
            XCTAssertEqual(out.total, 0)
        }
    }

    func testSSN() {
        XCTAssertEqual(r("my ssn is 123-45-6789").text, "my ssn is [SSN]")
        XCTAssertEqual(r("Social security number: 123 45 6789").count(.ssn), 1)
        XCTAssertEqual(r("SSN 123456789").text, "SSN [SSN]")
    }

    func testMRNPatterns() {
        for text in ["MRN 00123456", "my MRN is A-778812", "medical record number: 4471-22",
                     "MRN:99812", "número de expediente 77812"] {
            let out = r(text)
            XCTAssertEqual(out.count(.mrn), 1, "\(text) -> \(out.text)")
            XCTAssertFalse(out.text.contains(where: \.isNumber), out.text)
        }
    }

    func testOtherIDs() {
        XCTAssertEqual(r("member ID: XJH123456789").text, "member ID: [ID]")
        XCTAssertEqual(r("policy number is AB-99812").text, "policy number is [ID]")
        XCTAssertEqual(r("ref 123456789012").count(.id), 1)
    }

    func testAddresses() {
        XCTAssertEqual(r("I live at 42 Oak Street, Apt 3B now").text, "I live at [ADDRESS] now")
        XCTAssertEqual(r("send it to 1600 N Pennsylvania Ave please").text, "send it to [ADDRESS] please")
        XCTAssertEqual(r("address 12 main street").count(.address), 1)
        XCTAssertEqual(r("vivo en la calle Mayor 12, 3º B").count(.address), 1)
        XCTAssertEqual(r("Can I see Dr. Lee on Tuesday at 10 with Dr Patel?").total, 0)
    }

    func testNamesFromContext() {
        XCTAssertEqual(r("Hi, my name is John Smith and I need a refill").text,
                       "Hi, my name is [NAME] and I need a refill")
        XCTAssertEqual(r("This is Maria calling about my son Diego").text,
                       "This is [NAME] calling about my son [NAME]")
        XCTAssertEqual(r("Hola, me llamo María José Pérez").count(.name), 1)
        XCTAssertEqual(r("need to cancel. Thanks, Ann Lee").text, "need to cancel. Thanks, [NAME]")
        XCTAssertEqual(r("I'm Diabetic and this is Urgent").count(.name), 0)
    }

    func testKnownIdentifiersWhateverTheSpelling() {
        let known = KnownIdentifiers(name: "María López", phone: "+1 (555) 201-3344",
                                     email: "maria@example.org", dateOfBirth: "1984-07-09",
                                     mrn: "MRN-4471", other: ["ZX9981"])
        let text = "maria lopez here, MARÍA LÓPEZ again. López. phone 555 201 3344, "
            + "MARIA@EXAMPLE.ORG, born July 9, 1984 (07/09/84), chart mrn-4471, plan ZX9981"
        let out = r(text, known)
        for needle in ["aria", "ARÍA", "ópez", "3344", "EXAMPLE", "1984", "/84", "4471", "9981"] {
            XCTAssertFalse(out.text.contains(needle), "\(needle) left in \(out.text)")
        }
        XCTAssertEqual(out.count(.name), 3)
        XCTAssertEqual(out.count(.phone), 1)
        XCTAssertEqual(out.count(.dob), 2)
    }

    func testKnownNamePartDoesNotEatCommonWords() {
        let out = r("Will said he will come", KnownIdentifiers(name: "Will Carter"))
        XCTAssertEqual(out.text, "[NAME] said he will come")
        XCTAssertEqual(r("i hope you will call, by grace", KnownIdentifiers(name: "Will Hope")).text, "i hope you will call, by grace")
        XCTAssertEqual(r("dolores de cabeza, Dolores", KnownIdentifiers(name: "Dolores Ruiz")).text, "dolores de cabeza, [NAME]")
    }

    /// SMS is often all lowercase: a known name part that is not an everyday word is found in any case.
    func testKnownNamePartsInLowercase() {
        let known = KnownIdentifiers(name: "María López")
        XCTAssertEqual(r("maria wants to know about the blue form", known).text, "[NAME] wants to know about the blue form")
        XCTAssertEqual(r("lopez. the blue form, where does it go", known).text, "[NAME]. the blue form, where does it go")
        XCTAssertEqual(r("this is NGUYEN, or nguyen", KnownIdentifiers(name: "Thi Nguyen")).count(.name), 2)
        XCTAssertEqual(r("the shift at the lopezville plant", known).text, "the shift at the lopezville plant",
                       "a part inside a longer word is not the name")
    }

    func testRedactForLogCutsAndHidesDigits() {
        let line = Redactor.redactForLog("order 12345 for John\nline two " + String(repeating: "x", count: 300),
                                         maxLength: 40)
        XCTAssertTrue(line.hasPrefix("order [ID] for John line two"), line)
        XCTAssertEqual(line.count, 40)
        XCTAssertTrue(line.hasSuffix("…"))
    }

    func testRedactForLogUsesKnownIdentifiers() {
        let line = Redactor.redactForLog("note from ana ruiz re: claim", known: KnownIdentifiers(name: "Ana Ruiz"))
        XCTAssertEqual(line, "note from [NAME] re: claim")
    }

    func testKnownIdentifiersFromPatientFields() {
        let known = KnownIdentifiers(patient: PatientInfo(name: "Lee Park", phone: "2125550188", patient_id: "P-7781"))
        XCTAssertEqual(r("Lee here (212) 555-0188, id P-7781", known).text, "[NAME] here [PHONE], id [MRN]")
        XCTAssertEqual(KnownIdentifiers(patient: nil), .none)
    }

    func testPlaceholdersAreStable() {
        XCTAssertEqual(RedactionKind.allCases.map(\.placeholder),
                       ["[NAME]", "[PHONE]", "[EMAIL]", "[DOB]", "[ADDRESS]", "[MRN]", "[SSN]", "[ID]"])
        let once = r("my name is Ann Lee, 555-201-3344").text
        XCTAssertEqual(r(once).text, once)
    }
}
