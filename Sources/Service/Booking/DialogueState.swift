import Foundation
import Scheduling

/// Reads and writes the booking dialogue inside a conversation's `state_json` (a JSON object):
/// the dialogue lives under the `"booking"` key and every other key is kept as it was, so
/// other steps can keep their own state in the same object.
enum DialogueStateJSON {
    static let key = "booking"

    /// The stored dialogue, or nil when the conversation has none (or it is unreadable, in
    /// which case the conversation starts afresh rather than failing the message).
    static func load(_ stateJSON: String) -> BookingDialogue? {
        // Decoded in place: other keys of the state are ignored, not round-tripped.
        struct Root: Decodable { var booking: BookingDialogue? }
        guard stateJSON.utf8.count > 2, stateJSON.contains("\"\(key)\"") else { return nil }  // "{}" and states without a dialogue
        return (try? JSONDecoder().decode(Root.self, from: Data(stateJSON.utf8)))?.booking
    }

    /// `stateJSON` with the dialogue stored under `"booking"`, other keys untouched.
    static func store(_ dialogue: BookingDialogue, in stateJSON: String) -> String {
        let data = dialogue.jsonBytes()
        // The common case, a state holding nothing but the dialogue, is written directly
        // ("{}" without parsing it).
        var root = stateJSON.utf8.count <= 2 ? [:] : object(stateJSON)
        if root.keys.allSatisfy({ $0 == key }) { return "{\"\(key)\":" + String(decoding: data, as: UTF8.self) + "}" }
        if let value = try? JSONSerialization.jsonObject(with: Data(data)) {
            root[key] = value
        }
        guard let out = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return stateJSON }
        return String(decoding: out, as: UTF8.self)
    }

    private static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}
