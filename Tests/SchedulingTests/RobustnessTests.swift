import Foundation
import IntakeCore
import XCTest
@testable import Scheduling

/// Fuzz-style checks: parsers take arbitrary input without trapping, and every reply the
/// dialogue asks for has default wording whose placeholders its values fill.
final class RobustnessTests: XCTestCase {
    /// A small deterministic generator, so failures reproduce.
    struct LCG { var state: UInt64; mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 } }

    func testParsersTakeArbitraryInput() {
        var rng = LCG(state: 42)
        let alphabet = Array("{}[]\":,.0123456789-TZ+ abcdefghijklmnopqrstuvwxyzáéíñ\n#:ñ😀")
        let offered = [slot("a", "2026-03-03T09:00:00-05:00"), slot("b", "2026-03-03T10:30:00-05:00")]
        for _ in 0..<2000 {
            let length = Int(rng.next() % 40)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            _ = SlotImport.parse(Array(text.utf8), contentType: nil)
            _ = Timestamps.parse(text)
            _ = Confirmation.parse(text)
            if case .slot(let i) = PickParser.parse(text, offered: offered, timeZone: newYork) {
                XCTAssertTrue(offered.indices.contains(i), text)
            }
        }
        let bytes = (0..<4096).map { _ in UInt8(rng.next() % 256) }
        _ = SlotImport.parse(bytes, contentType: "application/x-ndjson")
        _ = SlotImport.parse(bytes, contentType: "application/fhir+json")
    }

    func testEveryReplyHasWordingAndFills() {
        var steps: [DialogueStep] = []
        var c = Conversation(store: .week())
        let wish = Entities(service: "dermatology", time_window: TimeWindow(part_of_day: ["morning"]))
        steps.append(c.say("I need an appointment", .book_appointment))
        steps.append(c.say("dermatology", .book_appointment, Entities(service: "dermatology")))
        steps.append(c.say("mornings", .other, wish))
        steps.append(c.say("what?"))
        steps.append(c.say("none of those"))
        steps.append(c.say("later"))
        steps.append(c.say("something later"))
        c.store.takeAway(steps.last!.slots[0].id)
        steps.append(c.say("first"))
        steps.append(c.say("first"))
        steps.append(c.say("when is it?", .appointment_inquiry))
        steps.append(c.say("move it", .reschedule_appointment))
        steps.append(c.say("hm"))
        steps.append(c.say("yes"))
        steps.append(c.say("2"))
        steps.append(c.say("cancel", .cancel_appointment))
        steps.append(c.say("yes"))
        steps.append(c.say("hello", .greeting))
        let replies = steps.filter { $0.template != nil }
        XCTAssertEqual(replies.count, steps.count, "no escalation in this script")
        XCTAssertGreaterThanOrEqual(Set(replies.compactMap(\.template)).count, 14)
        for step in replies {
            for language in ["en", "es"] {
                guard let wording = BookingTemplates.wording(step.template!, language: language) else {
                    XCTFail("no \(language) wording for \(step.template!)"); continue
                }
                let filled = ReplyRenderer(timeZone: newYork, language: language).fill(wording, values: step.values)
                XCTAssertFalse(filled.contains("{"), "\(step.template!) [\(language)]: \(filled)")
            }
        }
        XCTAssertEqual(Set(BookingTemplates.english.keys), Set(BookingTemplates.spanish.keys))
    }
}
