import Foundation
import XCTest
import IntakeCore
@testable import Handoff

final class EscalatorReasonTests: XCTestCase {
    func testStoredReasonListsEachCodeOnceInOrder() {
        let d = Decision(id: "dec_1", route: .emergency, action: .emergency, intent: .emergency, confidence: 1,
                         complexity: 0, sensitivity: 0, entities: Entities(),
                         reasons: [Reason(code: "intent.emergency", rule: "a.rules:1"), Reason(code: "intent.emergency", rule: "a.rules:9"),
                                   Reason(code: "policy.emergency")],
                         rules_version: "sha256:x")
        XCTAssertEqual(Escalator.reason(of: d), "intent.emergency,policy.emergency")
    }
}
