import Foundation
import XCTest

/// A fake OpenAI-compatible server: a Python http.server script in a temp file, started per
/// test on a free port. The first path component picks the behaviour; every request body is
/// appended to a log file so tests can check what left the process.
final class FakeModelServer: @unchecked Sendable {
    // @unchecked: all properties are set once in init and only read afterwards.
    let port: Int
    let dir: String
    private let process: Process

    static let script = #"""
import json, os, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
log_path, flag_path = sys.argv[1], sys.argv[2]
lock = threading.Lock()

def completion(content):
    return json.dumps({"id": "cmpl-1", "object": "chat.completion", "model": "fake",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}]}).encode()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def reply(self, code, body, length=True):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except Exception:
            pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            with open(log_path, "ab") as f:
                f.write(self.path.encode() + b" " + (self.headers.get("Authorization") or "-").encode() + b" " + body + b"\n")
        mode = self.path.strip("/").split("/")[0]
        if mode == "flaky":
            mode = "error500" if os.path.exists(flag_path) else "good"
        answer = {"intent": "book_appointment", "confidence": 0.9, "rationale": "wants a visit"}
        if mode == "good":
            return self.reply(200, completion(json.dumps(answer)))
        if mode == "crisis":
            answer = {"intent": "crisis", "confidence": 0.8, "rationale": "self-harm risk"}
            return self.reply(200, completion(json.dumps(answer)))
        if mode == "slow":
            time.sleep(3)
            return self.reply(200, completion(json.dumps(answer)))
        if mode == "error500":
            return self.reply(500, b'{"error": {"message": "boom"}}')
        if mode == "garbage":
            return self.reply(200, b'{"choices": [{"message": ')
        if mode == "badschema":
            return self.reply(200, completion(json.dumps({"intent": "book", "confidence": 2})))
        if mode == "prose":
            return self.reply(200, completion("Sure! The intent is book_appointment."))
        if mode == "big":
            return self.reply(200, b'{"pad": "' + b"a" * 300000 + b'"}', length=False)
        if mode == "biglength":
            return self.reply(200, b'{"pad": "' + b"a" * 300000 + b'"}')
        self.reply(404, b"{}")

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init() throws {
        dir = NSTemporaryDirectory() + "fake-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let scriptPath = dir + "/server.py"
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: dir + "/requests.log", contents: Data())
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, dir + "/requests.log", dir + "/down"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw NSError(domain: "FakeModelServer", code: 1) }
            line.append(chunk)
        }
        port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Base URL whose first path component selects the behaviour.
    func endpoint(_ mode: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(mode)")! }

    /// Everything the server has received: one line per request (path, auth header, body).
    var received: String { (try? String(contentsOfFile: dir + "/requests.log", encoding: .utf8)) ?? "" }

    var requestCount: Int { received.split(separator: "\n").count }

    /// Makes the `flaky` behaviour answer 500 (down) or good answers (up).
    func setDown(_ down: Bool) {
        if down { _ = FileManager.default.createFile(atPath: dir + "/down", contents: Data()) }
        else { try? FileManager.default.removeItem(atPath: dir + "/down") }
    }
}
