import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Phone calls end to end over real HTTP: per-utterance segments, the streamed transcript with
/// its event stream, the reference connector, and the Twilio webhook.
final class VoiceCallsTests: SharedDaemonTestCase {
    static let twilioToken = "twilio_test_auth_token_42"
    static let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("intake-twilio-\(UUID().uuidString)")

    override class func makeDaemon() throws -> DaemonProcess {
        try twilioToken.write(to: tokenFile, atomically: true, encoding: .utf8)
        return try DaemonProcess(extraConfig: """
        [voice]
        twilio_auth_token_file = \(tokenFile.path)
        public_url = https://clinic.example
        transfer_queue = front_desk
        heartbeat_s = 1

        """, demoSlots: true)
    }

    override class func tearDown() {
        super.tearDown()
        try? FileManager.default.removeItem(at: tokenFile)
    }

    func segment(_ call: String, _ event: [String: Any]) -> DaemonProcess.Response {
        d.post("/v1/calls/\(call)/segments", json: event)
    }

    func testFinalSegmentIsDecidedLikeAMessageAndSpeakable() throws {
        let r = segment("call-book", ["seq": 1, "type": "final", "text": "hi I would like to book an appointment with the skin doctor next week in the morning",
                                      "asr_confidence": 0.93])
        XCTAssertEqual(r.status, 200, r.text)
        let decision = try XCTUnwrap(r.json["decision"] as? [String: Any])
        XCTAssertEqual(decision["intent"] as? String, "book_appointment")
        XCTAssertEqual(r.json["seq"] as? Int, 1)
        let say = try XCTUnwrap(r.json["say"] as? String)
        XCTAssertFalse(say.isEmpty)
        XCTAssertFalse(say.contains("http"), "spoken replies carry no URLs")
        XCTAssertTrue(r.json["transfer"] is NSNull)
        // The call is a conversation: the segment is in its transcript.
        let conv = d.get("/v1/conversations/call-book", token: DaemonProcess.staffToken)
        XCTAssertEqual(conv.status, 200, conv.text)
        XCTAssertEqual((conv.json["messages"] as? [Any])?.count, 1)
        XCTAssertEqual(conv.json["channel"] as? String, "voice")
    }

    func testPartialIsListenedToAndADuplicateGetsTheSameAnswer() throws {
        let partial = segment("call-dup", ["seq": 1, "type": "partial", "text": "I need to"])
        XCTAssertEqual(partial.status, 200, partial.text)
        XCTAssertEqual(partial.json["action"] as? String, "listen")
        let first = segment("call-dup", ["seq": 1, "type": "final", "text": "I need to cancel my appointment on Friday"])
        XCTAssertEqual(first.status, 200, first.text)
        let again = segment("call-dup", ["seq": 1, "type": "final", "text": "I need to cancel my appointment on Friday"])
        XCTAssertEqual(again.status, 200, again.text)
        let id1 = (first.json["decision"] as? [String: Any])?["id"] as? String
        XCTAssertNotNil(id1)
        XCTAssertEqual(id1, (again.json["decision"] as? [String: Any])?["id"] as? String, "a retried event is not decided twice")
        let decisions = d.get("/v1/decisions?conversation_id=call-dup", token: DaemonProcess.auditToken)
        XCTAssertEqual((decisions.json["decisions"] as? [Any])?.count, 1)
    }

    func testSpokenRequestForAPersonTransfers() throws {
        let r = segment("call-rep", ["seq": 1, "type": "final", "text": "representative I want to talk to a real person please"])
        XCTAssertEqual(r.status, 200, r.text)
        let transfer = try XCTUnwrap(r.json["transfer"] as? [String: Any], r.text)
        XCTAssertNotNil(transfer["queue"] as? String)
        XCTAssertEqual((r.json["decision"] as? [String: Any])?["route"] as? String, "human")
        // The call now belongs to a person: the daemon takes no further events on it.
        let later = segment("call-rep", ["seq": 2, "type": "final", "text": "hello?"])
        XCTAssertEqual(later.status, 409, later.text)
        XCTAssertEqual(later.errorCode, "call_over")
    }

    func testKeypadZeroTransfersWithARecordedDecision() throws {
        let r = segment("call-dtmf", ["seq": 1, "type": "dtmf", "digits": "0"])
        XCTAssertEqual(r.status, 200, r.text)
        let transfer = try XCTUnwrap(r.json["transfer"] as? [String: Any], r.text)
        XCTAssertEqual(transfer["reason"] as? String, "keypad")
        XCTAssertEqual(transfer["queue"] as? String, "front_desk")
        let reasons = ((r.json["decision"] as? [String: Any])?["reasons"] as? [[String: Any]]) ?? []
        XCTAssertTrue(reasons.contains { $0["code"] as? String == "voice.transfer.keypad" }, r.text)
        let other = segment("call-dtmf2", ["seq": 1, "type": "dtmf", "digits": "5"])
        XCTAssertEqual(other.json["action"] as? String, "listen", "other keys are ignored")
    }

    func testEmergencyInAPartialIsAnsweredBeforeTheCallerFinishes() throws {
        let r = segment("call-er", ["seq": 1, "type": "partial", "text": "my husband his face is drooping on one side and he cant lift his arm"])
        XCTAssertEqual(r.status, 200, r.text)
        let decision = try XCTUnwrap(r.json["decision"] as? [String: Any], r.text)
        XCTAssertEqual(decision["route"] as? String, "emergency")
        XCTAssertEqual(r.json["action"] as? String, "emergency")
        XCTAssertTrue((r.json["say"] as? String ?? "").contains("911"))
        XCTAssertEqual((r.json["transfer"] as? [String: Any])?["reason"] as? String, "emergency")
    }

    func testLowRecognizerConfidenceAsksToRepeatThenTransfers() throws {
        let first = segment("call-asr", ["seq": 1, "type": "final", "text": "mm the uh", "asr_confidence": 0.2])
        XCTAssertEqual(first.status, 200, first.text)
        XCTAssertEqual(first.json["action"] as? String, "clarify")
        XCTAssertFalse((first.json["say"] as? String ?? "").isEmpty)
        XCTAssertTrue(first.json["transfer"] is NSNull)
        let second = segment("call-asr", ["seq": 2, "type": "final", "text": "bah the", "asr_confidence": 0.25])
        XCTAssertEqual(second.status, 200, second.text)
        XCTAssertEqual((second.json["transfer"] as? [String: Any])?["reason"] as? String, "low_confidence", second.text)
    }

    func testMalformedSegmentIsRefusedWithTheField() {
        let r = d.request("POST", "/v1/calls/call-bad/segments", token: DaemonProcess.ingestToken, body: Data("{\"seq\":1,".utf8))
        XCTAssertEqual(r.status, 400, r.text)
        let missing = segment("call-bad", ["type": "final", "text": "hi"])
        XCTAssertEqual(missing.status, 400, missing.text)
        XCTAssertEqual(missing.errorField, "seq")
        let wrongType = segment("call-bad", ["seq": 1, "type": "shout"])
        XCTAssertEqual(wrongType.status, 422, wrongType.text)
        XCTAssertEqual(d.post("/v1/calls/call-bad/segments", token: nil, json: ["seq": 1, "type": "hangup"]).status, 401)
    }

    /// The streamed transcript: answers arrive on the events stream; a malformed line gets an
    /// error answer and the stream goes on; the hangup ends both requests.
    func testStreamedTranscriptWithAMalformedLine() throws {
        let events = d.startStream("/v1/calls/call-stream/events", token: DaemonProcess.ingestToken)
        Thread.sleep(forTimeInterval: 0.3)
        let lines = [
            #"{"seq":1,"type":"partial","text":"I want to"}"#,
            #"{"seq":1,"type":"final","text":"I want to book a physical next week","asr_confidence":0.9}"#,
            #"{"seq":2,"type":"final","text":"#,
            #"{"seq":2,"type":"final","text":"and what are your hours on saturday","asr_confidence":0.9}"#,
            #"{"seq":3,"type":"hangup"}"#,
        ]
        let r = d.request("POST", "/v1/calls/call-stream/transcript", token: DaemonProcess.ingestToken,
                          body: Data((lines.joined(separator: "\n") + "\n").utf8), contentType: "application/x-ndjson")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json["status"] as? String, "ended")
        XCTAssertEqual(r.json["errors"] as? Int, 1)
        XCTAssertEqual(r.json["decisions"] as? Int, 2)
        let streamed = try XCTUnwrap(events.wait(timeout: 10), "the events stream ends with the call")
        let answers = streamed.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        XCTAssertEqual(answers.filter { $0["error"] != nil }.count, 1, streamed)
        XCTAssertEqual(answers.first { $0["error"] != nil }?["line"] as? Int, 3)
        XCTAssertEqual(answers.filter { $0["decision"] is [String: Any] }.count, 2, streamed)
        XCTAssertEqual(answers.last?["action"] as? String, "hangup")
    }

    /// With `Accept: text/event-stream` the answers come as Server-Sent Events, with a heartbeat
    /// comment while the call is quiet, and the stream ends with the call.
    func testEventStreamAsServerSentEventsWithHeartbeat() throws {
        let events = d.startStream("/v1/calls/call-sse/events", token: DaemonProcess.ingestToken, accept: "text/event-stream")
        Thread.sleep(forTimeInterval: 1.4)  // heartbeat_s = 1 in this daemon's config
        XCTAssertEqual(segment("call-sse", ["seq": 1, "type": "final", "text": "what time do you open on monday"]).status, 200)
        XCTAssertEqual(segment("call-sse", ["seq": 2, "type": "hangup"]).status, 200)
        let body = try XCTUnwrap(events.wait(timeout: 10), "the stream ends with the call")
        XCTAssertTrue(body.contains(": ping\n\n"), body)
        XCTAssertTrue(body.contains("event: answer\ndata: {"), body)
        let data = body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }
        XCTAssertEqual(data.count, 2, body)
        let last = try XCTUnwrap(data.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? [String: Any] })
        XCTAssertEqual(last["action"] as? String, "hangup")
    }

    /// A connector that vanishes mid-call leaves a consistent conversation: what it sent was
    /// decided and committed, and the call can go on over another request.
    func testConnectorDisconnectMidStream() throws {
        let chunk = #"{"seq":1,"type":"final","text":"I need a refill of my blood pressure pills","asr_confidence":0.9}"# + "\n"
        var raw = "POST /v1/calls/call-cut/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(DaemonProcess.ingestToken)\r\n"
        raw += "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
        raw += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
        try RawSocket.sendAndClose(port: d.port, Array(raw.utf8), lingerSeconds: 1.0)
        let deadline = Date().addingTimeInterval(5)
        var messages: [Any] = []
        while Date() < deadline {
            messages = d.get("/v1/conversations/call-cut", token: DaemonProcess.staffToken).json["messages"] as? [Any] ?? []
            if !messages.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(messages.count, 1, "the event sent before the disconnect was decided")
        XCTAssertTrue(d.log.contains("transcript_stream_aborted"), "the disconnect is logged")
    }

    func testReferenceConnectorPlaysACall() throws {
        let tokenFile = d.root.appendingPathComponent("ingest.token")
        try DaemonProcess.ingestToken.write(to: tokenFile, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", DaemonProcess.repoRoot.appendingPathComponent("connectors/stream-transcript").path,
                       "--url", "http://127.0.0.1:\(d.port)", "--token-file", tokenFile.path, "--call", "call-connector",
                       "--speed", "20", "--json", DaemonProcess.repoRoot.appendingPathComponent("connectors/samples/emergency.txt").path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("\"action\": \"emergency\""), text)
        XCTAssertTrue(text.contains("call summary:"), text)
    }

    // MARK: Twilio

    func twilio(_ params: [(String, String)], signature: String?) -> DaemonProcess.Response {
        let body = params.map { "\($0.0)=\(FormEncoding.encode($0.1))" }.joined(separator: "&")
        var headers: [String: String] = [:]
        if let signature { headers["X-Twilio-Signature"] = signature }
        return d.request("POST", "/v1/voice/twilio", body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
                         headers: headers)
    }

    /// Twilio's algorithm, computed with openssl so the test does not share the code under test.
    func sign(_ params: [(String, String)]) -> String {
        let data = "https://clinic.example/v1/voice/twilio" + params.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = ["dgst", "-sha1", "-hmac", Self.twilioToken, "-binary"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try! p.run()
        input.fileHandleForWriting.write(Data(data.utf8))
        try! input.fileHandleForWriting.close()
        let mac = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return mac.base64EncodedString()
    }

    func testTwilioSpeechIsAnsweredWithValidTwiML() throws {
        let params = [("CallSid", "CA100"), ("SpeechResult", "I'd like to book a dermatology appointment next week"),
                      ("Confidence", "0.91"), ("From", "+15555550100")]
        let r = twilio(params, signature: sign(params))
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertTrue(r.headers["content-type"]?.hasPrefix("text/xml") == true)
        let doc = try TwiMLDocument(r.body)
        XCTAssertEqual(doc.root, "Response")
        XCTAssertTrue(doc.elements.contains("Gather"), r.text)
        XCTAssertTrue(doc.elements.contains("Say"), r.text)
        XCTAssertTrue(r.text.contains("https://clinic.example/v1/voice/twilio"), "Gather posts back to the public URL")
    }

    func testTwilioKeypadZeroEnqueues() throws {
        let params = [("CallSid", "CA200"), ("Digits", "0")]
        let r = twilio(params, signature: sign(params))
        XCTAssertEqual(r.status, 200, r.text)
        let doc = try TwiMLDocument(r.body)
        XCTAssertTrue(doc.elements.contains("Enqueue"), r.text)
        XCTAssertEqual(doc.text["Enqueue"], "front_desk")
    }

    func testTwilioBadSignatureIsRejected() {
        let params = [("CallSid", "CA300"), ("SpeechResult", "hello")]
        XCTAssertEqual(twilio(params, signature: nil).status, 403)
        XCTAssertEqual(twilio(params, signature: "AAAA" + sign(params).dropFirst(4)).status, 403)
        var tampered = params
        tampered[1].1 = "cancel everything"
        XCTAssertEqual(twilio(tampered, signature: sign(params)).status, 403, "the signature covers the parameters")
    }
}

/// A TwiML answer parsed as XML: the root, every element name, and each element's text.
struct TwiMLDocument {
    var root = ""
    var elements: [String] = []
    var text: [String: String] = [:]

    init(_ data: Data) throws {
        final class Collector: NSObject, XMLParserDelegate {
            var names: [String] = []
            var text: [String: String] = [:]
            var current = ""
            var buffer = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                names.append(name); current = name; buffer = ""
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                if !buffer.isEmpty { text[name] = buffer.trimmingCharacters(in: .whitespacesAndNewlines) }
                buffer = ""
            }
        }
        let parser = XMLParser(data: data)
        let c = Collector()
        parser.delegate = c
        guard parser.parse() else { throw NSError(domain: "TwiML", code: 1, userInfo: [NSLocalizedDescriptionKey: "not well-formed XML"]) }
        root = c.names.first ?? ""
        elements = c.names
        text = c.text
    }
}

enum FormEncoding {
    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s)
    }
}

/// Calls that go on across a daemon restart: what the store kept of each call (its outcome and
/// the highest segment decided) is taken up again, so numbering, hand-overs and repeats behave
/// as if the daemon had never stopped.
final class VoiceCallRestartTests: XCTestCase {
    private var daemons: [DaemonProcess] = []

    override func tearDown() {
        daemons.forEach { $0.cleanup() }
        super.tearDown()
    }

    func testCallsAreTakenUpAgainAfterARestart() throws {
        let first = try DaemonProcess()
        daemons.append(first)
        try first.start()
        func segment(_ d: DaemonProcess, _ call: String, _ event: [String: Any]) -> DaemonProcess.Response {
            d.post("/v1/calls/\(call)/segments", json: event)
        }
        func twilio(_ d: DaemonProcess, _ sid: String, _ speech: String) -> DaemonProcess.Response {
            d.request("POST", "/v1/voice/twilio", token: DaemonProcess.ingestToken,
                      body: Data("CallSid=\(sid)&SpeechResult=\(FormEncoding.encode(speech))&Confidence=0.9".utf8),
                      contentType: "application/x-www-form-urlencoded")
        }
        let hours = segment(first, "call-r", ["seq": 1, "type": "final", "text": "what are your hours on saturday"])
        XCTAssertEqual(hours.status, 200, hours.text)
        let decided = try XCTUnwrap((hours.json["decision"] as? [String: Any])?["id"] as? String)
        XCTAssertEqual(segment(first, "call-r", ["seq": 2, "type": "final", "text": "what time do you close on friday"]).status, 200)
        XCTAssertEqual(segment(first, "call-t", ["seq": 1, "type": "dtmf", "digits": "0"]).status, 200)
        XCTAssertEqual(twilio(first, "CA-restart", "what are your hours on saturday").status, 200)

        first.signal(SIGTERM)
        XCTAssertEqual(first.waitForExit(), 0)
        let second = try DaemonProcess(reusing: first)
        daemons.append(second)
        try second.start()

        // A repeated segment is answered from the store, with no second decision.
        let again = segment(second, "call-r", ["seq": 1, "type": "final", "text": "what are your hours on saturday"])
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual((again.json["decision"] as? [String: Any])?["id"] as? String, decided)
        // Numbering goes on from the last segment decided: only seq 3 is missing.
        XCTAssertEqual(segment(second, "call-r", ["seq": 4, "type": "final", "text": "thanks"]).status, 200)
        XCTAssertTrue(second.log.contains("missing=3-3"), second.log)
        XCTAssertFalse(second.log.contains("missing=1-3"))
        // A call handed to a person stays handed over.
        let late = segment(second, "call-t", ["seq": 2, "type": "final", "text": "hello?"])
        XCTAssertEqual(late.status, 409, late.text)
        XCTAssertEqual((late.json["error"] as? [String: Any])?["code"] as? String, "call_over")
        // Twilio numbers its turns from the last one decided, so the next utterance is a new segment.
        XCTAssertEqual(twilio(second, "CA-restart", "I need to cancel my appointment").status, 200)
        let conversation = second.get("/v1/conversations/CA-restart", token: DaemonProcess.staffToken)
        let ids = (conversation.json["messages"] as? [[String: Any]] ?? []).compactMap { $0["message_id"] as? String }
        XCTAssertEqual(ids, ["seg-1", "seg-2"], conversation.text)
    }
}
