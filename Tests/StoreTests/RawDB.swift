import CSQLite

/// A plain connection for poking at the file behind the store's back.
final class RawDB {
    private var db: OpaquePointer?
    init(path: String) throws {
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw RawError(message: "open failed") }
    }
    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw RawError(message: String(cString: sqlite3_errmsg(db)))
        }
    }
    func close() { sqlite3_close(db); db = nil }

    /// The first column of every row of `sql`, as text.
    func strings(_ sql: String) throws -> [String] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else { throw RawError(message: String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(stmt) }
        var out: [String] = []
        while sqlite3_step(stmt) == SQLITE_ROW {
            let n = sqlite3_column_count(stmt)
            out.append((0..<n).compactMap { sqlite3_column_text(stmt, $0).map { String(cString: $0) } }.joined(separator: " "))
        }
        return out
    }
    struct RawError: Error { var message: String }
}
