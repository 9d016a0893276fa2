import Foundation
import IntakeCore
import XCTest
@testable import Scheduling

final class SlotImportTests: XCTestCase {
    func testJSONArray() throws {
        let body = """
        [{"id": "a", "service": "dermatology", "start": "2026-03-03T09:00:00-05:00",
          "end": "2026-03-03T09:30:00-05:00", "provider": "Dr. Patel", "location": "Main",
          "new_patient_ok": false, "language": "ES"},
         {"id": "b", "service": "Physical Therapy", "start": "2026-03-03T14:00:00Z", "end": "2026-03-03T15:00:00Z",
          "language": ["en", "es"]}]
        """
        let slots = try SlotImport.parse(Array(body.utf8), contentType: "application/json").get()
        XCTAssertEqual(slots.map(\.id), ["a", "b"])
        XCTAssertEqual(slots[0].start, at("2026-03-03T14:00:00Z"))
        XCTAssertEqual(slots[0].provider, "Dr. Patel")
        XCTAssertEqual(slots[0].newPatients, false)
        XCTAssertEqual(slots[0].languages, ["es"])
        XCTAssertEqual(slots[1].service, "physical_therapy")
        XCTAssertEqual(slots[1].languages, ["en", "es"])
        XCTAssertNil(slots[1].newPatients)
    }

    func testNDJSONWithAndWithoutContentType() throws {
        let body = """
        {"id": "a", "service": "lab", "start": "2026-03-03T09:00:00-05:00", "end": "2026-03-03T09:15:00-05:00"}

        {"id": "b", "service": "lab", "start": "2026-03-03T09:15:00-05:00", "end": "2026-03-03T09:30:00-05:00"}
        """
        for type in ["application/x-ndjson", nil] {
            let slots = try SlotImport.parse(Array(body.utf8), contentType: type).get()
            XCTAssertEqual(slots.map(\.id), ["a", "b"], "content type \(type ?? "none")")
        }
    }

    func testEveryInvalidRecordReportedByIndexAndNothingImported() {
        let body = """
        [{"id": "ok", "service": "lab", "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T09:15:00Z"},
         {"service": "lab", "start": "2026-03-03T09:00:00Z", "end": "2026-03-03T09:15:00Z"},
         {"id": "x", "service": "lab", "start": "tomorrow", "end": "2026-03-03T09:15:00Z"},
         {"id": "y", "service": "lab", "start": "2026-03-03T10:00:00Z", "end": "2026-03-03T09:15:00Z"},
         {"id": "ok", "service": "lab", "start": "2026-03-03T11:00:00Z", "end": "2026-03-03T11:15:00Z"},
         {"id": "z", "service": "lab", "start": "2026-03-03T11:00:00Z", "end": "2026-03-03T11:15:00Z", "new_patient_ok": 1},
         "not an object"]
        """
        guard case .failure(let failure) = SlotImport.parse(Array(body.utf8), contentType: nil) else {
            return XCTFail("an import with invalid records must fail")
        }
        XCTAssertEqual(failure.issues.map(\.index), [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(failure.issues[0].message.contains("id"))
        XCTAssertTrue(failure.issues[1].message.contains("start"))
        XCTAssertTrue(failure.issues[2].message.contains("end is not after start"))
        XCTAssertTrue(failure.issues[3].message.contains("duplicate id"))
        XCTAssertTrue(failure.issues[4].message.contains("new_patient_ok"))
    }

    func testNDJSONReportsLineIndexes() {
        let body = "{\"id\": \"a\", \"service\": \"lab\", \"start\": \"2026-03-03T09:00:00Z\", \"end\": \"2026-03-03T09:15:00Z\"}\n{oops\n\n{\"id\": \"b\"}\n"
        guard case .failure(let failure) = SlotImport.parse(Array(body.utf8), contentType: "application/x-ndjson") else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(failure.issues.map(\.index), [1, 3])
        XCTAssertEqual(failure.issues[0].message, "not valid JSON")
    }

    func testMalformedDocument() {
        guard case .failure(let failure) = SlotImport.parse(Array("[1, 2".utf8), contentType: "application/json") else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(failure.issues.first?.index, -1)
    }

    func testFHIRBundleResolvesReferences() throws {
        let batch = try SlotImport.parseBatch(try fixture("fhir-bundle.json"), contentType: "application/fhir+json").get()
        XCTAssertEqual(batch.free.map(\.id), ["fs-1", "fs-2", "fs-3"])
        XCTAssertEqual(batch.unavailable, ["fs-4"])
        let derm = batch.free[0]
        XCTAssertEqual(derm.service, "dermatology")
        XCTAssertEqual(derm.provider, "Dr. Anika Patel")
        XCTAssertEqual(derm.location, "Main Street Clinic")
        XCTAssertEqual(derm.languages, ["en", "es"])
        XCTAssertEqual(derm.start, at("2026-03-03T09:00:00-05:00"))
        XCTAssertEqual(batch.free[1].service, "physical_therapy", "the Slot's own serviceType wins")
        let cardio = batch.free[2]
        XCTAssertEqual(cardio.service, "cardiology", "SNOMED specialty on the Schedule")
        XCTAssertNil(cardio.provider)
        XCTAssertEqual(cardio.newPatients, false)
        // parse() gives the free slots only, and finds the format without a content type.
        XCTAssertEqual(try SlotImport.parse(try fixture("fhir-bundle.json"), contentType: nil).get().count, 3)
    }

    func testInvalidFHIRBundle() throws {
        guard case .failure(let failure) = SlotImport.parse(try fixture("fhir-invalid.json"), contentType: nil) else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(failure.issues.map(\.index), [2, 3, 4, 5, 6])
        XCTAssertTrue(failure.issues[0].message.contains("start"))
        XCTAssertTrue(failure.issues[1].message.contains("end is not after start"))
        XCTAssertTrue(failure.issues[2].message.contains("Schedule/nowhere"))
        XCTAssertTrue(failure.issues[3].message.contains("open"))
        XCTAssertTrue(failure.issues[4].message.contains("service"))
        XCTAssertTrue(failure.description.contains("record 2:"))
    }

    func testOtherFHIRResourceRefused() {
        let body = #"{"resourceType": "Slot", "id": "x"}"#
        guard case .failure(let failure) = SlotImport.parse(Array(body.utf8), contentType: nil) else {
            return XCTFail("expected failure")
        }
        XCTAssertEqual(failure.issues.first?.index, -1)
    }

    func testSlotCodableRoundTrip() throws {
        let original = slot("a", "2026-03-03T09:00:00-05:00", provider: "Dr. Kim", languages: ["es"], newPatients: true)
        let data = try JSONEncoder().encode(original)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"new_patient_ok\":true"))
        XCTAssertTrue(text.contains("2026-03-03T14:00:00.000Z"))
        XCTAssertEqual(try JSONDecoder().decode(Slot.self, from: data), original)
    }
}

final class TimestampsTests: XCTestCase {
    func testAgreesWithFoundation() {
        let samples = ["2026-03-03T09:00:00-05:00", "2026-03-03T14:00:00Z", "2026-03-03T14:00:00.250Z",
                       "2024-02-29T23:59:59+14:00", "1969-12-31T23:59:59Z", "2000-01-01T00:00:00.5-00:30",
                       "2026-11-01T01:30:00-04:00"]
        for s in samples {
            XCTAssertEqual(Timestamps.parse(s), RFC3339.parse(s), s)
            let d = RFC3339.parse(s)!
            XCTAssertEqual(Timestamps.format(d), RFC3339.format(d), s)
        }
        for bad in ["2026-02-30T09:00:00Z", "2026-03-03T24:00:00Z", "2026-03-03T09:00:00", "2026-03-03",
                    "2026-03-03T09:00:00+0500", "2026-03-03T09:00:00.Z", "tomorrow", ""] {
            XCTAssertNil(Timestamps.parse(bad), bad)
        }
    }
}
