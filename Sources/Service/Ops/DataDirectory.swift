import Foundation
import IntakeCore

/// Files the daemon keeps in its data directory.
enum DataDirectory {
    /// The store's files: the database, its write-ahead log and shared-memory index.
    static let storeFiles = ["intake.sqlite", "intake.sqlite-wal", "intake.sqlite-shm"]

    /// Creates the directory (mode 0750) if it is missing. An existing directory that other
    /// users may enter or anyone but its owner may write is narrowed to that, and store files
    /// left readable by others (created under a looser umask) are made owner-only: the store
    /// holds patient messages. Each change is logged.
    static func prepare(_ path: String, log: Log? = nil) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw DaemonError("cannot create the data directory \(path): \(error.localizedDescription)")
        }
        var st = stat()
        if stat(path, &st) == 0 && st.st_mode & S_ISVTX != 0 {
            throw DaemonError("the data directory \(path) is a shared directory (sticky bit, like /tmp): give the daemon a directory of its own")
        }
        try restrict(path, allowed: 0o750, log: log)
        for name in storeFiles { try restrict(path + "/" + name, allowed: 0o600, log: log) }
    }

    /// Clears the permission bits of `path` (or what it links to) outside `allowed`; nothing
    /// when it does not exist.
    private static func restrict(_ path: String, allowed: mode_t, log: Log?) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        let mode = st.st_mode & 0o7777
        guard mode & ~allowed != 0 else { return }
        guard chmod(path, mode & allowed) == 0 else {
            throw DaemonError("\(path) is readable or writable by other users and cannot be narrowed: \(String(cString: strerror(errno)))")
        }
        log?(.warning, "permissions_narrowed", [("path", path), ("from", String(mode, radix: 8)), ("to", String(mode & allowed, radix: 8))])
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
