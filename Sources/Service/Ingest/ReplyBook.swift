import Foundation

/// Reply wording by key and language. Rule-file templates win; the embedded English and
/// Spanish texts below keep the daemon speaking when a rule set lacks a key.
struct ReplyBook: Sendable {
    /// Looks a template up in the active rule set.
    let lookup: @Sendable (_ key: String, _ language: String) -> String?

    func text(_ key: String, _ language: String, _ values: [String: String] = [:]) -> String {
        let template = lookup(key, language) ?? lookup(key, "en")
            ?? Self.fallback[language]?[key] ?? Self.fallback["en"]?[key] ?? ""
        return Self.render(template, values)
    }

    /// Replaces `{name}` with its value; unknown placeholders stay as written.
    static func render(_ template: String, _ values: [String: String]) -> String {
        guard !values.isEmpty else { return template }
        var out = template
        for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    static let fallback: [String: [String: String]] = [
        "en": [
            "reply.emergency": "This may be a medical emergency. Call 911 or go to the nearest emergency room now. We are alerting our staff.",
            "reply.crisis": "You deserve support right now. If you are in danger or thinking about harming yourself, call or text 988 (Suicide & Crisis Lifeline) or call 911. A member of our team is being alerted.",
            "reply.escalated": "Thank you. A member of our team will follow up with you shortly.",
            "reply.acknowledged": "A member of our team has your message and will reply soon.",
            "reply.clarify.service": "I can help you book a visit. What kind of appointment do you need?",
            "reply.clarify": "Could you tell me a little more about what you need?",
            "reply.no_slots": "I could not find an open time that matches. A member of our scheduling team will contact you.",
            "reply.reschedule": "I can help you move your appointment. When would work better for you?",
            "reply.cancel": "I can help you cancel your appointment. Please confirm which appointment you want to cancel.",
            "reply.opt_out": "You will no longer receive text messages from us. Reply START to opt back in.",
            "reply.general_info": "Our clinic is open Monday to Friday, 8am to 6pm. Is there anything else I can help with?",
            "reply.appointment_inquiry": "I can look up your appointment. Could you confirm your date of birth?",
            "reply.greeting": "Hello! How can I help you today?",
            "reply.repeat": "Sorry, I did not catch that. Could you say it again?",
            "reply.voice_greeting": "Thank you for calling. How can I help you today?",
            "reply.transfer": "Please hold while I connect you with a member of our team.",
        ],
        "es": [
            "reply.emergency": "Esto puede ser una emergencia médica. Llame al 911 o vaya a la sala de emergencias más cercana ahora. Estamos avisando a nuestro personal.",
            "reply.crisis": "Usted merece apoyo ahora mismo. Si está en peligro o piensa en hacerse daño, llame o envíe un texto al 988 o llame al 911. Estamos avisando a nuestro equipo.",
            "reply.escalated": "Gracias. Un miembro de nuestro equipo se comunicará con usted pronto.",
            "reply.acknowledged": "Un miembro de nuestro equipo tiene su mensaje y le responderá pronto.",
            "reply.clarify.service": "Puedo ayudarle a hacer una cita. ¿Qué tipo de cita necesita?",
            "reply.clarify": "¿Podría contarme un poco más sobre lo que necesita?",
            "reply.no_slots": "No encontré un horario disponible. Nuestro equipo de citas se comunicará con usted.",
            "reply.reschedule": "Puedo ayudarle a cambiar su cita. ¿Qué día le conviene más?",
            "reply.cancel": "Puedo ayudarle a cancelar su cita. Confirme qué cita desea cancelar.",
            "reply.opt_out": "Ya no recibirá mensajes de texto de nosotros. Responda START para volver a recibirlos.",
            "reply.general_info": "Nuestra clínica abre de lunes a viernes, de 8am a 6pm. ¿Le puedo ayudar en algo más?",
            "reply.appointment_inquiry": "Puedo buscar su cita. ¿Me confirma su fecha de nacimiento?",
            "reply.greeting": "¡Hola! ¿En qué le puedo ayudar hoy?",
            "reply.repeat": "Perdone, no le entendí. ¿Puede repetirlo?",
            "reply.voice_greeting": "Gracias por llamar. ¿En qué le puedo ayudar hoy?",
            "reply.transfer": "Por favor espere mientras le comunico con un miembro de nuestro equipo.",
        ],
    ]
}
