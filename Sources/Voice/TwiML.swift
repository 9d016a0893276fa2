import Foundation

/// TwiML answers for Twilio's `<Gather input="speech dtmf">` webhook.
public enum TwiML {
    /// Say something, then listen for the caller's next utterance or keypress.
    public static func gather(say: String, action: String, language: String, hints: String? = nil) -> String {
        var attrs = "input=\"speech dtmf\" action=\"\(escape(action))\" method=\"POST\" speechTimeout=\"auto\" numDigits=\"1\" language=\"\(escape(voiceLanguage(language)))\""
        if let hints { attrs += " hints=\"\(escape(hints))\"" }
        return document("<Gather \(attrs)>\(sayElement(say, language))</Gather>" +
                        sayElement(fallbackPrompt(language), language) + "<Redirect method=\"POST\">\(escape(action))</Redirect>")
    }

    /// Say something and connect the caller to a number.
    public static func dial(say: String, number: String, language: String) -> String {
        document(sayElement(say, language) + "<Dial>\(escape(number))</Dial>")
    }

    /// Say something and put the caller in a Twilio queue.
    public static func enqueue(say: String, queue: String, language: String) -> String {
        document(sayElement(say, language) + "<Enqueue>\(escape(queue))</Enqueue>")
    }

    /// Say something and end the call.
    public static func hangup(say: String?, language: String) -> String {
        document((say.map { sayElement($0, language) } ?? "") + "<Hangup/>")
    }

    static func document(_ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(body)</Response>"
    }

    static func sayElement(_ text: String, _ language: String) -> String {
        "<Say language=\"\(escape(voiceLanguage(language)))\">\(escape(Speech.speakable(text)))</Say>"
    }

    static func fallbackPrompt(_ language: String) -> String {
        language == "es" ? "No escuché nada." : "I did not hear anything."
    }

    static func voiceLanguage(_ language: String) -> String { language == "es" ? "es-US" : "en-US" }

    /// XML text and attribute escaping.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }
}
