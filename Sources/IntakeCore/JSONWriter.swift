import Foundation

/// A small JSON byte writer for the hot path: every decision is encoded once per message on
/// the store's single writer thread, where Foundation's `JSONEncoder` cost about a third of the
/// thread's time. Keys are written in the order given (callers pass them sorted, so output is
/// stable and matches `JSONEncoder` with `.sortedKeys` up to number formatting).
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []
    private var afterKey = false

    public init() { bytes.reserveCapacity(1024) }

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast() }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast() }

    /// Writes `"name":`; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) { separate(); appendString(value) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }
    public mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: String(value).utf8) }

    /// Integral values as integers (as `JSONEncoder` writes them), others in shortest round-trip form.
    public mutating func double(_ value: Double) {
        separate()
        guard value.isFinite else { bytes += Array("null".utf8); return }
        if value == value.rounded(), abs(value) < 1e15 { bytes += Array(String(Int(value)).utf8) } else { bytes += Array("\(value)".utf8) }
    }

    /// Pre-encoded JSON, written as one value.
    public mutating func raw(_ json: [UInt8]) { separate(); bytes += json }

    // Optional helpers: a nil value omits the key, as synthesized `Encodable` does.
    public mutating func field(_ name: String, _ value: String?) { if let value { key(name); string(value) } }
    public mutating func field(_ name: String, _ value: Double?) { if let value { key(name); double(value) } }
    public mutating func field(_ name: String, _ value: Int?) { if let value { key(name); int(value) } }
    public mutating func field(_ name: String, _ value: Bool?) { if let value { key(name); bool(value) } }

    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard let last = needsComma.last else { return }
        if last { bytes.append(UInt8(ascii: ",")) } else { needsComma[needsComma.count - 1] = true }
    }

    /// Copies runs of bytes that need no escaping whole, escaping only quotes, backslashes
    /// and control characters.
    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = s
        text.withUTF8 { utf8 in
            var run = 0
            for (i, byte) in utf8.enumerated() where byte == 34 || byte == 92 || byte < 0x20 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i]))
                appendEscaped(byte)
                run = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes += [92, 34]
        case UInt8(ascii: "\\"): bytes += [92, 92]
        case 0x0A: bytes += [92, UInt8(ascii: "n")]
        case 0x0D: bytes += [92, UInt8(ascii: "r")]
        case 0x09: bytes += [92, UInt8(ascii: "t")]
        case 0x08: bytes += [92, UInt8(ascii: "b")]
        case 0x0C: bytes += [92, UInt8(ascii: "f")]
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes += [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }
    }
}

extension Decision {
    /// This decision as JSON with sorted keys, nil fields omitted: the form stored in the audit
    /// log and returned by the API. Decodes back with `JSONDecoder` to an equal value.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("action"); w.string(action.rawValue)
        w.key("complexity"); w.double(complexity)
        w.key("confidence"); w.double(confidence)
        w.key("entities"); entities.write(&w)
        w.key("id"); w.string(id)
        w.key("intent"); w.string(intent.rawValue)
        w.key("model")
        w.beginObject()
        w.field("latency_ms", model.latency_ms)
        w.field("name", model.name)
        w.field("outcome", model.outcome)
        w.field("prompt_version", model.prompt_version)
        w.key("used"); w.bool(model.used)
        w.endObject()
        w.field("priority", priority?.rawValue)
        w.field("queue", queue)
        w.key("reasons")
        w.beginArray()
        for r in reasons {
            w.beginObject()
            w.key("code"); w.string(r.code)
            w.field("detail", r.detail)
            w.field("rule", r.rule)
            w.field("value", r.value)
            w.endObject()
        }
        w.endArray()
        w.key("route"); w.string(route.rawValue)
        w.key("rules_version"); w.string(rules_version)
        if let runner_up {
            w.key("runner_up")
            w.beginObject()
            w.key("confidence"); w.double(runner_up.confidence)
            w.key("intent"); w.string(runner_up.intent.rawValue)
            w.endObject()
        }
        w.key("sensitivity"); w.double(sensitivity)
        w.endObject()
        return w.bytes
    }
}

extension Entities {
    /// Writes these entities as a JSON object (sorted keys, nil fields omitted), as `Codable` does.
    public func write(_ w: inout JSONWriter) {
        w.beginObject()
        w.field("language", language)
        w.field("location", location)
        w.field("new_patient", new_patient)
        w.field("provider", provider)
        w.field("service", service)
        if let t = time_window {
            w.key("time_window")
            w.beginObject()
            w.field("after_hour", t.after_hour)
            w.field("before_hour", t.before_hour)
            w.field("from", t.from)
            if let parts = t.part_of_day {
                w.key("part_of_day"); w.beginArray(); for p in parts { w.string(p) }; w.endArray()
            }
            w.field("text", t.text)
            w.field("to", t.to)
            if let days = t.weekdays {
                w.key("weekdays"); w.beginArray(); for d in days { w.int(d) }; w.endArray()
            }
            w.endObject()
        }
        w.field("visit_for", visit_for)
        w.endObject()
    }
}
