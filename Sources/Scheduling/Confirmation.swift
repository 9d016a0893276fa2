/// A yes/no answer to a confirmation question, in English or Spanish.
public enum Confirmation: String, Sendable, Equatable, Codable {
    case yes, no, unclear

    /// Reads "yes", "sure, go ahead", "sí", "claro" as yes; "no", "keep it", "never mind",
    /// "mejor no" as no; hedges ("not sure", "no sé", "maybe") and anything else as unclear.
    public static func parse(_ text: String) -> Confirmation {
        let w = Words(text)
        if w.isEmpty || w.hasAny(hedges) { return .unclear }
        let saysNo = w.hasAny(noPhrases)
        let saysYes = w.hasAny(yesPhrases) || w.tokens == ["y"]
        if saysNo == saysYes { return .unclear }
        return saysYes ? .yes : .no
    }

    static let hedges = ["not sure", "no se", "maybe", "quizas", "tal vez", "i dont know", "i don't know",
                         "dunno", "no estoy seguro", "no estoy segura", "depends"]
    static let yesPhrases = ["yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "confirm",
                             "confirmed", "please do", "go ahead", "do it", "that's right", "thats right",
                             "right", "absolutely", "of course", "si", "claro", "correcto", "de acuerdo",
                             "vale", "confirmo", "adelante", "por supuesto", "esta bien", "perfecto", "perfect",
                             "that works", "sounds good"]
    static let noPhrases = ["no", "nope", "nah", "don't", "dont", "do not", "keep it", "never mind", "nevermind",
                            "not now", "cancel that", "mejor no", "no gracias", "dejalo", "no lo", "wait", "stop"]
}
