/// The reply templates a `BookingDialogue` asks for, with default English and Spanish wording.
/// Operators' rule files override the wording; these defaults seed them and fill any gap.
/// Placeholders are `{name}` from the reply step's values (see `BookingDialogue` values:
/// `service_name`, `options`, `slot1`..., `when`, `provider`, `location`, `booking_id`,
/// `previous_when`, `count`).
public enum BookingTemplates {
    /// The escalation reasons a dialogue gives, with what each means.
    public static let escalationReasons: [String: String] = [
        "booking.failed_turns": "the patient's answers were not understood after several tries",
        "booking.no_slots": "no free slot for the requested service",
        "booking.not_found": "no known booking to change or cancel",
        "booking.loop_limit": "the store kept failing the dialogue's steps within one turn",
        "booking.unexpected_event": "a step result arrived that the dialogue was not waiting for",
    ]

    /// Default wording by template id, for "en" and "es".
    public static let defaults: [String: [String: String]] = ["en": english, "es": spanish]

    /// Every template id a dialogue may reply with.
    public static var ids: [String] { english.keys.sorted() }

    /// Default wording for `language` ("es..." → Spanish, else English).
    public static func wording(_ id: String, language: String) -> String? {
        (language.lowercased().hasPrefix("es") ? spanish : english)[id]
    }

    static let english: [String: String] = [
        "booking.ask_service": "I can help you book a visit. What kind of appointment do you need?",
        "booking.ask_time": "What day or time works best for your {service_name} visit?",
        "booking.offer": "I can offer:\n{options}\nWhich one works for you?",
        "booking.offer_taken": "Sorry, that time was just taken. I can offer:\n{options}\nWhich one works for you?",
        "booking.offer_expired": "Those times were released. Here is what is open now:\n{options}\nWhich one works for you?",
        "booking.offer_later": "Here are later times:\n{options}\nWhich one works for you?",
        "booking.offer_earlier": "Here are earlier times:\n{options}\nWhich one works for you?",
        "booking.offer_other": "How about:\n{options}\nWhich one works for you?",
        "booking.offer_again": "Sorry, I didn't catch which one. Please reply with 1, 2 or 3:\n{options}",
        "booking.ask_other_time": "No problem. What day or time would suit you better?",
        "booking.no_more": "I couldn't find other {service_name} times. Is there another day or time that works?",
        "booking.confirmed": "You're booked for {service_name} on {when} with {provider} at {location}. Your confirmation is {booking_id}.",
        "booking.nothing_to_do": "Is there anything else I can help you with?",
        "booking.info": "Your {service_name} appointment is on {when} with {provider} at {location}.",
        "cancel.confirm": "You have {service_name} on {when}. Do you want to cancel it? Please reply yes or no.",
        "cancel.confirm_again": "Please reply yes to cancel the appointment, or no to keep it.",
        "cancel.kept": "Okay, your appointment on {when} stays as it is.",
        "cancel.done": "Your appointment on {when} is cancelled.",
        "cancel.already": "That appointment was already cancelled.",
        "reschedule.confirm": "You have {service_name} on {when}. Do you want to move it to another time? Please reply yes or no.",
        "reschedule.confirm_again": "Please reply yes to move the appointment, or no to keep it.",
        "reschedule.kept": "Okay, your appointment on {when} stays as it is.",
        "reschedule.done": "Done: your appointment moved from {previous_when} to {when} with {provider}. Your confirmation is {booking_id}.",
    ]

    static let spanish: [String: String] = [
        "booking.ask_service": "Puedo ayudarle a pedir una cita. ¿Qué tipo de cita necesita?",
        "booking.ask_time": "¿Qué día u hora le viene mejor?",
        "booking.offer": "Puedo ofrecerle:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_taken": "Lo siento, esa hora acaba de ocuparse. Puedo ofrecerle:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_expired": "Esas horas se liberaron. Esto es lo disponible ahora:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_later": "Estas son horas más tarde:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_earlier": "Estas son horas más temprano:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_other": "¿Qué le parece:\n{options}\n¿Cuál le viene bien?",
        "booking.offer_again": "Perdone, no entendí cuál. Responda con 1, 2 o 3:\n{options}",
        "booking.ask_other_time": "De acuerdo. ¿Qué día u hora le vendría mejor?",
        "booking.no_more": "No encontré otras horas. ¿Le sirve otro día u hora?",
        "booking.confirmed": "Su cita quedó reservada para el {when} con {provider} en {location}. Su confirmación es {booking_id}.",
        "booking.nothing_to_do": "¿Puedo ayudarle con algo más?",
        "booking.info": "Su cita es el {when} con {provider} en {location}.",
        "cancel.confirm": "Tiene una cita el {when}. ¿Quiere cancelarla? Responda sí o no.",
        "cancel.confirm_again": "Responda sí para cancelar la cita, o no para mantenerla.",
        "cancel.kept": "De acuerdo, su cita del {when} se mantiene.",
        "cancel.done": "Su cita del {when} quedó cancelada.",
        "cancel.already": "Esa cita ya estaba cancelada.",
        "reschedule.confirm": "Tiene una cita el {when}. ¿Quiere cambiarla a otra hora? Responda sí o no.",
        "reschedule.confirm_again": "Responda sí para cambiar la cita, o no para mantenerla.",
        "reschedule.kept": "De acuerdo, su cita del {when} se mantiene.",
        "reschedule.done": "Listo: su cita pasó del {previous_when} al {when} con {provider}. Su confirmación es {booking_id}.",
    ]
}
