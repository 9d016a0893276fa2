/// The pattern passes, in the order they run. Order matters: emails before names, explicit
/// SSN/MRN/ID contexts before the generic phone shapes, dates of birth before phones.
enum RedactionPatterns {
    static let months = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
    static let meses = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    static let numberWords = "zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand"
    static let numeros = "primero|uno|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieci\\p{L}+|veinte|veinti\\p{L}+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa"
    static let ordinalWords = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|twenty|thirty"

    /// A written date with a year: numeric, month-name (English/Spanish) or spelled out.
    static var dateWithYear: String {
        let numeric = #"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)|\d{4}-\d{1,2}-\d{1,2}"#
        let monthFirst = #"(?:\#(months))\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"#
        let dayFirst = #"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:\#(months))\.?,?\s+\d{4}"#
        let spanish = #"\d{1,2}\s+de\s+(?:\#(meses))\s+(?:de|del)\s+\d{4}"#
        let year = #"(?:\d{4}|(?:nineteen|twenty|two thousand)(?:[\s\-]+(?:and\s+)?(?:\#(numberWords)))*)"#
        let ordinal = #"(?:\d{1,2}(?:st|nd|rd|th)?|(?:\#(ordinalWords))(?:[\s\-]+(?:\#(ordinalWords)))?)"#
        let spelled = #"(?:\#(months))\s+(?:the\s+)?\#(ordinal),?\s+\#(year)|(?:the\s+)?\#(ordinal)\s+of\s+(?:\#(months)),?\s+\#(year)"#
        let año = #"(?:\d{4}|(?:mil\s+novecientos|dos\s+mil)(?:\s+(?:y\s+)?(?:\#(numeros)))*)"#
        let spanishSpelled = #"(?:\d{1,2}|\#(numeros))\s+de\s+(?:\#(meses))\s+(?:de|del)\s+\#(año)"#
        return "(?:\(numeric)|\(monthFirst)|\(dayFirst)|\(spanishSpelled)|\(spanish)|\(spelled))"
    }

    static let dobContext = #"\b(?:DOB|D\.O\.B\.?|date of birth|birth\s?date|birthday|born(?:\s+on)?|fecha de nacimiento|f\. nac\.?|nac[ií] el|nacid[oa] el|cumpleaños)[\s:,\-]*(?:is\s+|was\s+|es\s+|fue\s+)?(?:the\s+|el\s+)?"#

    static let idValue = #"([A-Z]{0,4}-?\d[\dA-Z\-]{3,})"#
    static let mrnContext = #"\b(?:MRN|medical record(?:\s+(?:number|no\.?|#))?|chart\s+(?:number|no\.?|#)|record\s+(?:number|no\.?|#)|n[uú]mero de (?:expediente|historia(?: cl[ií]nica)?)|expediente|historia cl[ií]nica)(?:\s+(?:is|es))?[\s:#.]*"#
    static let idContext = #"\b(?:(?:member|policy|insurance|subscriber|group|patient|account|acct|claim|license|passport|medicare|medicaid|confirmation)(?:\s+(?:id|number|no\.?|#))?|ID|n[uú]mero de (?:p[oó]liza|afiliado|seguro|socio))(?:\s+(?:is|es))?[\s:#.]*"#

    static let streetSuffix = "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl"
    static let unit = #"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[\w\-]+)?"#
    static let capitalizedName = #"[A-ZÁÉÍÓÚÑ][\p{Ll}'\-]+(?:\s+[A-ZÁÉÍÓÚÑ][\p{Ll}'\-]+){0,3}"#
    static let relatives = "son|daughter|wife|husband|mom|mother|dad|father|child|kid|baby|partner|brother|sister|grandmother|grandfather|grandson|granddaughter|hijo|hija|esposa|esposo|marido|madre|padre|mamá|papá|nieto|nieta"

    /// Capitalized words after "this is" / "I'm" that are not names.
    static let notNames: Set<String> = [
        "The", "A", "An", "Not", "Having", "Calling", "Looking", "Trying", "Writing", "New", "Very",
        "So", "Just", "Still", "Also", "In", "At", "On", "From", "With", "Your", "My", "Urgent",
        "Dr", "Doctor", "Mr", "Mrs", "Ms", "Sorry", "Sure", "Ok", "Okay", "Yes", "No", "Please",
        "Hola", "Hello", "Hi", "Going", "Feeling", "Pregnant", "Diabetic", "Nuevo", "Nueva", "Paciente",
        "Available", "Unable", "Able", "Out", "Back", "Here", "Sick", "Worried", "Concerned", "Diabético",
        "Diabética", "Embarazada", "Alérgico", "Alérgica", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Tomorrow",
    ]

    static let passes: [RedactionPass] = [
        RedactionPass(.email, #"[A-Z0-9._%+\-]+@[A-Z0-9.\-]+\.[A-Z]{2,}"#),
        // SSNs: the dashed shape anywhere, nine digits only after an SSN word.
        RedactionPass(.ssn, #"\b(?:SSN|SS#|social security(?:\s+(?:number|no\.?|#))?|seguro social)(?:\s+(?:is|es))?[\s:#.]*(\d{3}[\s\-]?\d{2}[\s\-]?\d{4})(?!\d)"#, group: 1),
        RedactionPass(.ssn, #"(?<![\d\-])\d{3}-\d{2}-\d{4}(?![\d\-])"#),
        RedactionPass(.mrn, mrnContext + idValue, group: 1),
        RedactionPass(.mrn, #"\bMRN[\-:#]?\d{4,}\b"#),
        RedactionPass(.id, idContext + idValue, group: 1),
        RedactionPass(.dob, dobContext + "(" + dateWithYear + ")", group: 1),
        // A full date in the 1900s is a birth date, not an appointment.
        RedactionPass(.dob, #"(?<![\d/.\-])(?:\d{1,2}[/.\-]\d{1,2}[/.\-]19\d{2}|19\d{2}-\d{1,2}-\d{1,2}|(?:\#(months))\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+19\d{2}|\d{1,2}\s+(?:of\s+)?(?:\#(months)),?\s+19\d{2}|\d{1,2}\s+de\s+(?:\#(meses))\s+(?:de|del)\s+19\d{2})(?!\d)"#),
        // Phones: international, North American, Spanish national shapes, local 7 digits.
        RedactionPass(.phone, #"(?<![\w+])\+\d{1,3}(?:[\s.\-]?\(?\d{1,4}\)?){2,5}(?!\d)"#),
        RedactionPass(.phone, #"(?<![\w+/:.\-])(?:1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}(?![\w/:\-])"#),
        RedactionPass(.phone, #"(?<![\w+/:.\-])[6789]\d{2}(?:[\s.]?\d{2}){3}(?![\w/:\-])|(?<![\w+/:.\-])[6789]\d{2}[\s.]\d{3}[\s.]\d{3}(?![\w/:\-])"#),
        RedactionPass(.phone, #"(?<![\w+/:.\-])\d{3}-\d{4}(?![\w/:\-])"#),
        // Street addresses, English (capitalized or full lowercase suffix) and Spanish.
        RedactionPass(.address, #"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][\p{L}'\-]*|\d{1,3}(?:st|nd|rd|th))\s+){1,4}(?:\#(streetSuffix))\b\.?"# + unit, caseInsensitive: false),
        RedactionPass(.address, #"\b\d{1,6}\s+(?:[\p{L}'\-]+\s+){1,4}(?:street|avenue|road|boulevard|lane|blvd|ave)\b\.?"# + unit),
        RedactionPass(.address, #"\b(?:calle|c/|avenida|avda\.?|av\.|paseo|plaza|carrera|camino)\s+(?:[\p{L}'\-]+\s+){0,4}?(?:n[º°o]\.?\s*)?\d{1,5}\b(?:,?\s*\d{1,2}[º°ªa-z]?(?:\s*[A-Z])?\b)?"#),
        // Names stated in context; the capitalized words are the name.
        RedactionPass(.name, #"(?i:\b(?:my name is|my name's|name:|nombre:|this is|i am|i'm|im|me llamo|mi nombre es|soy|habla|le habla))\s+("# + capitalizedName + ")", group: 1, caseInsensitive: false, accept: plausibleName),
        RedactionPass(.name, #"(?i:\bmy\s+(?:\#(relatives))|\bmi\s+(?:\#(relatives)))\s*,?\s+("# + capitalizedName + ")", group: 1, caseInsensitive: false, accept: plausibleName),
        RedactionPass(.name, #"(?i:\b(?:thanks|thank you|regards|best|gracias|saludos|atentamente))[,!.]?\s+("# + capitalizedName + #")\s*[.!]?\s*$"#, group: 1, caseInsensitive: false, accept: plausibleName),
        // Whatever long digit run survived is some identifier.
        RedactionPass(.id, #"(?<!\d)\d{7,}(?!\d)"#),
    ]

    @Sendable static func plausibleName(_ text: String) -> Bool {
        guard let first = text.split(separator: " ").first else { return false }
        return !notNames.contains(String(first))
    }
}
