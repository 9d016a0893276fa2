import Foundation
import IntakeCore

/// Files the daemon keeps in its data directory.
enum DataDirectory {
    /// Creates the directory (mode 0750) if it is missing.
    static func prepare(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonError("cannot create the data directory \(path): \(error.localizedDescription)")
        }
    }

    /// Reads a 32-byte secret kept as hex in `name` (mode 0600), creating it on first start.
    static func secret(named name: String, in dir: String, log: Log) throws -> [UInt8] {
        let path = dir + "/" + name
        if let bytes = try existingSecret(named: name, in: dir) { return bytes }
        let bytes = Digest.randomBytes(32)
        try writePrivate(Digest.hex(bytes) + "\n", to: path)
        log(.info, "secret_created", [("path", path)])
        return bytes
    }

    /// The secret kept in `name`, or nil when the file does not exist yet.
    static func existingSecret(named name: String, in dir: String) throws -> [UInt8]? {
        let path = dir + "/" + name
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let bytes = Digest.fromHex(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count >= 32 else {
            throw DaemonError("\(path) is not a hex secret of at least 32 bytes")
        }
        return bytes
    }

    /// Writes `text` to a new file readable only by its owner.
    static func writePrivate(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DaemonError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw DaemonError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
