import Foundation

/// The service labels of LABELS.md and the names other systems use for them.
public enum ServiceNames {
    /// Every service label, in LABELS.md order.
    public static let all = [
        "primary_care", "pediatrics", "dermatology", "cardiology", "orthopedics", "obgyn",
        "ophthalmology", "ent", "gastroenterology", "neurology", "endocrinology",
        "physical_therapy", "imaging", "lab", "vaccination", "behavioral_health",
    ]

    /// Synonyms (lowercase, spaces) → label.
    static let synonyms: [String: String] = [
        "primary care": "primary_care", "family medicine": "primary_care", "family practice": "primary_care",
        "general practice": "primary_care", "internal medicine": "primary_care",
        "pediatric": "pediatrics", "paediatrics": "pediatrics", "pediatric specialty": "pediatrics",
        "orthopaedics": "orthopedics", "orthopedic surgery": "orthopedics",
        "trauma & orthopedics": "orthopedics", "trauma and orthopedics": "orthopedics",
        "obstetrics and gynecology": "obgyn", "obstetrics & gynecology": "obgyn", "ob/gyn": "obgyn",
        "ob-gyn": "obgyn", "gynecology": "obgyn", "gynaecology": "obgyn",
        "otolaryngology": "ent", "ear, nose and throat": "ent", "ear nose and throat": "ent",
        "physical therapy": "physical_therapy", "physiotherapy": "physical_therapy",
        "radiology": "imaging", "diagnostic imaging": "imaging", "laboratory": "lab", "pathology": "lab",
        "immunization": "vaccination", "vaccinations": "vaccination", "immunisation": "vaccination",
        "behavioral health": "behavioral_health", "mental health": "behavioral_health",
        "psychiatry": "behavioral_health", "psychology": "behavioral_health",
        "eye care": "ophthalmology", "endocrine": "endocrinology",
    ]

    /// SNOMED CT practice-setting codes (the R4 `c80-practice-codes` value set) → label.
    static let snomed: [String: String] = [
        "394582007": "dermatology", "394579002": "cardiology", "394537008": "pediatrics",
        "394801008": "orthopedics", "394585009": "obgyn", "394594003": "ophthalmology",
        "418960008": "ent", "394584008": "gastroenterology", "394591006": "neurology",
        "394583002": "endocrinology", "419772000": "primary_care", "394814009": "primary_care",
        "394914008": "imaging", "394587001": "behavioral_health",
    ]

    /// The label for a coding's code, when the code is a label or a known SNOMED code.
    public static func fromCode(_ code: String) -> String? {
        let c = code.lowercased()
        if all.contains(c) { return c }
        return snomed[c] ?? synonyms[c]
    }

    /// The label for a display name or free text; unknown names become snake_case labels
    /// (an operator's own service names keep working).
    public static func label(_ text: String) -> String {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        if let known = synonyms[t] { return known }
        let snake = t.replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        return synonyms[t.replacingOccurrences(of: "_", with: " ")] ?? snake
    }
}
