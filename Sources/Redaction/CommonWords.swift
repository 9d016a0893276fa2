/// Everyday English and Spanish words that are also given names or surnames. A known name part
/// that is one of them is redacted only when written as a name (capitalized or all caps), so a
/// patient called Will Hope does not lose "will" and "hope" from every sentence sent to the
/// model. Lowercase, accents folded.
enum CommonWords {
    static func contains(_ folded: String) -> Bool { words.contains(folded) }

    private static let words: Set<String> = [
        // English: verbs, nouns and adjectives that are names
        "will", "may", "june", "april", "august", "hope", "faith", "joy", "grace", "rose", "lily", "iris", "ivy",
        "mark", "bill", "pat", "sue", "frank", "art", "rich", "dean", "ray", "bob", "jack", "jean", "gene",
        "young", "white", "black", "brown", "green", "gray", "grey", "long", "short", "little", "small", "strong",
        "king", "hill", "park", "wood", "woods", "bush", "cook", "baker", "hall", "lane", "price", "bell",
        "ward", "rice", "fox", "hunter", "miller", "mason", "carter", "porter", "page", "chase", "case", "love",
        "moon", "summer", "winter", "autumn", "dawn", "sky", "river", "stone", "field", "fields", "ford", "banks",
        "best", "good", "major", "sterling", "lord", "bishop", "dear", "hart", "hardy", "free",
        "house", "church", "wells", "waters", "storm", "rock", "penny", "sunny", "honey", "candy", "ruby",
        "amber", "crystal", "destiny", "harmony", "heaven", "angel", "trust", "miles", "rush", "sharp",
        "nurse", "doctor", "judge", "mayor", "child", "day", "nice", "rain", "snow", "gay", "cash",
        "don", "guy", "dick", "jay", "kit", "rob", "sol", "van", "von", "de", "la", "del",
        // Spanish: everyday words that are names
        "rosa", "luz", "paz", "cruz", "leon", "santos", "flores", "dolores", "consuelo", "blanca", "blanco",
        "campos", "moreno", "rubio", "rios", "rio", "mar", "cielo", "esperanza", "caridad",
        "pilar", "angeles", "rocio", "socorro", "amparo", "mercedes", "fe", "nieves", "reyes", "rey", "castillo",
        "serrano", "prieto", "bravo", "delgado", "alegria", "gracia", "milagros", "soledad", "salud", "luna",
        "estrella", "paloma", "perla", "vega", "sierra", "montes", "nuevo", "mayo", "junio", "abril",
        "manana", "pena", "leal", "franco",
    ]
}
