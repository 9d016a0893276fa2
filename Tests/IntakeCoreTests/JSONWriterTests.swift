import Foundation
import XCTest
@testable import IntakeCore

final class JSONWriterTests: XCTestCase {
    func sample(_ i: Int) -> Decision {
        var d = Decision(id: "dec_\(i)", route: Route.allCases[i % 3], action: Action.allCases[i % Action.allCases.count],
                         intent: Intent.allCases[i % Intent.allCases.count], confidence: Double(i % 100) / 100,
                         complexity: 0.1 * Double(i % 7), sensitivity: i % 2 == 0 ? 0 : 0.35,
                         entities: Entities(), reasons: [], rules_version: "sha256:abc")
        if i % 2 == 0 {
            d.entities = Entities(service: "dermatology", time_window: TimeWindow(from: "2026-03-09T05:00:00.000Z", to: nil,
                                  part_of_day: ["morning"], weekdays: [2, 3], after_hour: i % 4 == 0 ? 15 : nil, text: "next week, \"mornings\""),
                                  location: "Main St", new_patient: true, visit_for: "child", language: "es")
            d.reasons = [Reason(code: "intent.book", rule: "booking.rules:14", detail: "matched 'cita'\nline\ttab\u{1}", value: 0.75),
                         Reason(code: "threshold.automate", value: 1)]
            d.runner_up = ScoredIntent(intent: .general_info, confidence: 0.125)
            d.queue = "scheduling"; d.priority = .high
            d.model = ModelUse(used: true, name: "m", prompt_version: "sha256:p", latency_ms: 42, outcome: "used")
        }
        return d
    }

    /// Decodes to an equal value and to the same JSON object as Foundation's encoder writes.
    func testDecisionBytesMatchFoundationsEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for i in 0..<60 {
            let d = sample(i)
            let ours = d.jsonBytes()
            XCTAssertEqual(try JSONDecoder().decode(Decision.self, from: Data(ours)), d)
            let theirs = try encoder.encode(d)
            let a = try JSONSerialization.jsonObject(with: Data(ours)) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: theirs) as? NSDictionary
            XCTAssertEqual(a, b, String(decoding: ours, as: UTF8.self))
        }
    }

    func testSeparatorsAndEscapes() {
        var w = JSONWriter()
        w.beginObject(); w.key("a"); w.beginArray(); w.int(1); w.null(); w.string("x\"y\\"); w.endArray()
        w.key("b"); w.double(2.5); w.field("c", nil as String?); w.key("d"); w.bool(false); w.endObject()
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), #"{"a":[1,null,"x\"y\\"],"b":2.5,"d":false}"#)
    }

    func testEscapesAtEitherEndAndAroundMultibyteText() {
        var w = JSONWriter()
        w.beginArray()
        w.string("\"é\n\u{1f}z\\"); w.string(""); w.string("plain café 日本"); w.string("\u{0}")
        w.endArray()
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), #"["\"é\n\u001fz\\","","plain café 日本","\u0000"]"#)
    }
}
