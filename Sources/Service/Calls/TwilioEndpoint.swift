import Foundation
import HTTPServer
import IntakeCore
import Voice

/// `POST /v1/voice/twilio`: Twilio's `<Gather input="speech dtmf">` webhook. Each post carries
/// what the caller said (`SpeechResult`, `Confidence`) or pressed (`Digits`) for `CallSid`; the
/// answer is TwiML that says the reply and gathers again, hands the call over (`<Dial>` to the
/// configured number, else `<Enqueue>`), or hangs up.
extension App {
    static let twilioPath = "/v1/voice/twilio"

    func postTwilio(_ ctx: RequestContext, _ r: HTTPResponder) {
        let parameters = FormBody.parse(ctx.request.body)
        if let token = twilioAuthToken {
            let url = twilioURL(ctx.request.head)
            guard let signature = ctx.request.head.header("x-twilio-signature"),
                  TwilioSignature.verify(authToken: token, url: url, parameters: parameters, signature: signature) else {
                log(.warning, "twilio_signature_rejected", [])
                return r.fail(APIError(.forbidden, code: "bad_signature", "X-Twilio-Signature does not match"))
            }
        }
        let form = Dictionary(parameters, uniquingKeysWith: { first, _ in first })
        guard let callSid = form["CallSid"], MessageRequest.isValidID(callSid) else {
            return r.fail(APIError(.malformed, code: "missing_field", "'CallSid' is required", field: "CallSid"))
        }
        let action = twilioURL(ctx.request.head)
        let now = clock.now()
        guard let entry = voice.entry(callSid) else {
            return r.respond(twiml(TwiML.hangup(say: "We are unable to take your call right now. Please call back shortly.", language: "en")))
        }
        let (seq, language) = voice.desk.withEntry(entry) { ($0.session.highestSeq + 1, $0.language) }
        let replies = ReplyBook(lookup: { [rules] key, lang in rules.snapshot.template(key: key, language: lang) })
        var event = CallEvent(seq: seq, kind: .final, at: now)
        if form["CallStatus"] == "completed" {
            event.kind = .hangup
        } else if let digits = form["Digits"], !digits.isEmpty {
            event.kind = .dtmf
            event.digits = digits
        } else if let speech = form["SpeechResult"], !speech.isEmpty {
            event.text = String(speech.prefix(voice.limits.maxTextBytes))
            event.asrConfidence = form["Confidence"].flatMap(Double.init).map { min(max($0, 0), 1) }
        } else {
            // The call's first request, or silence: greet and listen.
            return r.respond(twiml(TwiML.gather(say: replies.text("reply.voice_greeting", language), action: action, language: language)))
        }
        voice.submit(callID: callSid, event: event) { [self] answer in
            let lang = answer.language
            if answer.status != 200 {
                if answer.status == 409 { return r.respond(twiml(TwiML.hangup(say: nil, language: lang))) }
                return r.respond(twiml(TwiML.gather(say: replies.text("reply.repeat", lang), action: action, language: lang)))
            }
            if let transfer = answer.transfer {
                let say = answer.say.isEmpty ? replies.text("reply.transfer", lang) : answer.say
                if let number = config.voice.transferNumber {
                    return r.respond(twiml(TwiML.dial(say: say, number: number, language: lang)))
                }
                return r.respond(twiml(TwiML.enqueue(say: say, queue: transfer.queue, language: lang)))
            }
            if answer.ended || answer.action == "opt_out" {
                return r.respond(twiml(TwiML.hangup(say: answer.say.isEmpty ? nil : answer.say, language: lang)))
            }
            let say = answer.say.isEmpty ? replies.text("reply.repeat", lang) : answer.say
            r.respond(twiml(TwiML.gather(say: say, action: action, language: lang)))
        }
    }

    /// The URL Twilio called (and signed): the configured public base URL with the path and
    /// query. Without `public_url` (allowed only when signatures are not checked) the path
    /// alone, which Twilio resolves against the URL it called; never the Host header, which
    /// the client chooses.
    func twilioURL(_ head: HTTPRequestHead) -> String {
        let base = config.voice.publicURL ?? ""
        let query = head.query.isEmpty ? "" : "?" + head.query.sorted { $0.key < $1.key }
            .map { "\(FormBody.encode($0.key))=\(FormBody.encode($0.value))" }.joined(separator: "&")
        return base + Self.twilioPath + query
    }

    func twiml(_ document: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "text/xml; charset=utf-8")], body: Array(document.utf8))
    }
}

/// `application/x-www-form-urlencoded` bodies.
enum FormBody {
    /// Name/value pairs in order; `+` is a space; undecodable pairs are dropped.
    static func parse(_ body: [UInt8]) -> [(String, String)] {
        String(decoding: body, as: UTF8.self).split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) ?? "" : "")
        }
    }

    static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
