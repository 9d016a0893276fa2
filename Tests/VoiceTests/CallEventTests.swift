import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Voice

final class CallEventTests: XCTestCase {
    private func parse(_ json: String) -> Result<CallEvent, CallEventError> { CallEvent.parse(Array(json.utf8)) }

    func testParsesEachKind() throws {
        let final = try parse(#"{"seq": 3, "type": "final", "text": "I need an appointment", "asr_confidence": 0.82, "at": "2026-03-02T14:05:00Z"}"#).get()
        XCTAssertEqual(final.seq, 3)
        XCTAssertEqual(final.kind, .final)
        XCTAssertEqual(final.asrConfidence, 0.82)
        XCTAssertNotNil(final.at)
        XCTAssertEqual(try parse(#"{"seq": 4, "type": "dtmf", "digits": "0"}"#).get().digits, "0")
        XCTAssertEqual(try parse(#"{"seq": 5, "type": "hangup"}"#).get().kind, .hangup)
    }

    func testRejectionsNameTheField() {
        let cases: [(String, String?)] = [
            (#"{"type": "final", "text": "x"}"#, "seq"),
            (#"{"seq": 0, "type": "final", "text": "x"}"#, "seq"),
            (#"{"seq": true, "type": "final", "text": "x"}"#, "seq"),
            (#"{"seq": 1, "type": "shout", "text": "x"}"#, "type"),
            (#"{"seq": 1, "type": "final"}"#, "text"),
            (#"{"seq": 1, "type": "final", "text": "x", "asr_confidence": 3}"#, "asr_confidence"),
            (#"{"seq": 1, "type": "dtmf", "digits": "12a"}"#, "digits"),
            (#"{"seq": 1, "type": "dtmf"}"#, "digits"),
            (#"{"seq": 1, "type": "final", "text": "x", "at": "noon"}"#, "at"),
            (#"not json"#, nil),
        ]
        for (json, field) in cases {
            guard case .failure(let e) = parse(json) else { XCTFail("accepted \(json)"); continue }
            XCTAssertEqual(e.field, field, json)
        }
        var limits = CallLimits()
        limits.maxLineBytes = 10
        guard case .failure(let e) = CallEvent.parse(Array(#"{"seq": 1, "type": "hangup"}"#.utf8), limits: limits) else { return XCTFail() }
        XCTAssertEqual(e.code, "too_large")
    }
}

final class CallSessionTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let policy = CallSession.Policy(asrMinConfidence: 0.6, maxLowConfidenceTurns: 2)

    func testFinalPartialDuplicateAndGap() {
        var s = CallSession(startedAt: t0)
        XCTAssertEqual(s.receive(CallEvent(seq: 1, kind: .partial, text: "I need"), now: t0, policy: policy), .scanPartial(text: "I need"))
        XCTAssertEqual(s.receive(CallEvent(seq: 1, kind: .final, text: "I need a refill", asrConfidence: 0.9), now: t0, policy: policy),
                       .decide(text: "I need a refill", gap: nil))
        XCTAssertEqual(s.receive(CallEvent(seq: 1, kind: .final, text: "I need a refill"), now: t0, policy: policy), .duplicate(seq: 1))
        XCTAssertEqual(s.receive(CallEvent(seq: 4, kind: .final, text: "thanks"), now: t0, policy: policy), .decide(text: "thanks", gap: 2...3))
        XCTAssertEqual(s.gaps, [2...3])
        // A late event from the gap is still processed once.
        XCTAssertEqual(s.receive(CallEvent(seq: 2, kind: .final, text: "late"), now: t0, policy: policy), .decide(text: "late", gap: nil))
    }

    func testLowConfidenceAsksToRepeatThenTransfers() {
        var s = CallSession(startedAt: t0)
        XCTAssertEqual(s.receive(CallEvent(seq: 1, kind: .final, text: "mumble", asrConfidence: 0.3), now: t0, policy: policy), .askRepeat(attempt: 1))
        XCTAssertEqual(s.receive(CallEvent(seq: 2, kind: .final, text: "mumble", asrConfidence: 0.2), now: t0, policy: policy),
                       .transfer(reason: .lowConfidence))
        XCTAssertEqual(s.status, .transferred)
        XCTAssertEqual(s.receive(CallEvent(seq: 3, kind: .final, text: "hello"), now: t0, policy: policy), .callOver(.transferred))
    }

    func testConfidentTurnResetsTheStreak() {
        var s = CallSession(startedAt: t0)
        _ = s.receive(CallEvent(seq: 1, kind: .final, text: "a", asrConfidence: 0.3), now: t0, policy: policy)
        _ = s.receive(CallEvent(seq: 2, kind: .final, text: "b", asrConfidence: 0.9), now: t0, policy: policy)
        XCTAssertEqual(s.receive(CallEvent(seq: 3, kind: .final, text: "c", asrConfidence: 0.3), now: t0, policy: policy), .askRepeat(attempt: 1))
    }

    func testDtmfAndHangup() {
        var s = CallSession(startedAt: t0)
        XCTAssertEqual(s.receive(CallEvent(seq: 1, kind: .dtmf, digits: "5"), now: t0, policy: policy), .ignoredDigits)
        XCTAssertEqual(s.receive(CallEvent(seq: 2, kind: .dtmf, digits: "0"), now: t0, policy: policy), .transfer(reason: .keypad))
        var h = CallSession(startedAt: t0)
        XCTAssertEqual(h.receive(CallEvent(seq: 1, kind: .hangup), now: t0, policy: policy), .hangup)
        XCTAssertEqual(h.status, .ended)
    }

    func testLimits() {
        var p = policy
        p.limits.maxEventsPerCall = 2
        p.limits.maxCallSeconds = 60
        var s = CallSession(startedAt: t0)
        _ = s.receive(CallEvent(seq: 1, kind: .final, text: "a"), now: t0, policy: p)
        _ = s.receive(CallEvent(seq: 2, kind: .final, text: "b"), now: t0, policy: p)
        guard case .rejected = s.receive(CallEvent(seq: 3, kind: .final, text: "c"), now: t0, policy: p) else { return XCTFail() }
        var long = CallSession(startedAt: t0)
        guard case .rejected = long.receive(CallEvent(seq: 1, kind: .final, text: "a"), now: t0 + 61, policy: p) else { return XCTFail() }
    }
}

final class SpeechAndTwiMLTests: XCTestCase {
    func testSpeakableDropsURLsAndSymbols() {
        let s = Speech.speakable("Visit https://clinic.example/book or email help@clinic.example & call us! *** ok")
        XCTAssertFalse(s.contains("http"))
        XCTAssertFalse(s.contains("@"))
        XCTAssertFalse(s.contains("*"))
        XCTAssertTrue(s.contains("and call us!"))
        let long = String(repeating: "This is a sentence. ", count: 40)
        XCTAssertLessThanOrEqual(Speech.speakable(long).count, 320)
        XCTAssertTrue(Speech.speakable(long).hasSuffix("."))
    }

    func testTwiMLIsWellFormedXML() throws {
        let docs = [
            TwiML.gather(say: "Tuesday at 9 & 10 <ok>?", action: "/v1/voice/twilio?x=1&y=2", language: "en"),
            TwiML.dial(say: "Connecting you", number: "+15555550100", language: "es"),
            TwiML.enqueue(say: "Please hold", queue: "scheduling", language: "en"),
            TwiML.hangup(say: "Goodbye", language: "en"),
        ]
        for doc in docs {
            let parser = XMLParser(data: Data(doc.utf8))
            XCTAssertTrue(parser.parse(), "not well-formed: \(doc)")
        }
        XCTAssertTrue(docs[0].contains("<Gather input=\"speech dtmf\""))
        XCTAssertTrue(docs[0].contains("&amp;"))
        XCTAssertTrue(docs[2].contains("<Enqueue>scheduling</Enqueue>"))
    }

    func testTwilioSignatureMatchesOpenSSL() throws {
        let url = "https://clinic.example/v1/voice/twilio"
        let params = [("CallSid", "CA123"), ("SpeechResult", "book a visit"), ("Confidence", "0.91"), ("Digits", "")]
        let sig = TwilioSignature.compute(authToken: "secret-token", url: url, parameters: params)
        // Independent computation with the openssl tool: URL + sorted name+value pairs.
        let data = url + "CallSidCA123" + "Confidence0.91" + "Digits" + "SpeechResultbook a visit"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "printf '%s' \"$DATA\" | openssl dgst -sha1 -hmac secret-token -binary | base64"]
        p.environment = ["DATA": data, "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let expected = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(sig, expected)
        XCTAssertTrue(TwilioSignature.verify(authToken: "secret-token", url: url, parameters: params, signature: sig))
        XCTAssertFalse(TwilioSignature.verify(authToken: "other", url: url, parameters: params, signature: sig))
        XCTAssertFalse(TwilioSignature.verify(authToken: "secret-token", url: url + "?x", parameters: params, signature: sig))
    }
}
