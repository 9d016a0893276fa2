import Foundation
import XCTest
@testable import Service

final class DataDirectoryTests: XCTestCase {
    private func tempDir() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("intake-dd-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testOpenDirectoryAndStoreFilesAreNarrowed() throws {
        let dir = try tempDir()
        XCTAssertEqual(chmod(dir, 0o777), 0)
        FileManager.default.createFile(atPath: dir + "/intake.sqlite", contents: Data(), attributes: [.posixPermissions: 0o644])
        FileManager.default.createFile(atPath: dir + "/other.txt", contents: Data(), attributes: [.posixPermissions: 0o644])
        let lines = LogLines()
        try DataDirectory.prepare(dir, log: Log(sink: { lines.add($0) }))
        XCTAssertEqual(mode(dir), 0o750)
        XCTAssertEqual(mode(dir + "/intake.sqlite"), 0o600)
        XCTAssertEqual(mode(dir + "/other.txt"), 0o644, "only the store's own files are touched")
        XCTAssertEqual(lines.all.filter { $0.contains("permissions_narrowed") }.count, 2)
        try DataDirectory.prepare(dir, log: Log(sink: { lines.add($0) }))
        XCTAssertEqual(lines.all.filter { $0.contains("permissions_narrowed") }.count, 2, "nothing to narrow the second time")
    }

    /// A shared directory such as /tmp is refused rather than narrowed under everyone else.
    func testSharedStickyDirectoryIsRefused() throws {
        let dir = try tempDir()
        XCTAssertEqual(chmod(dir, 0o1777), 0)
        XCTAssertThrowsError(try DataDirectory.prepare(dir)) { error in
            XCTAssertTrue("\(error)".contains("shared directory"), "\(error)")
        }
        XCTAssertEqual(mode(dir), 0o1777, "left as it was")
    }
}

/// Log lines captured from concurrent sinks; the lock guards `lines`.
private final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
