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
    struct RawError: Error { var message: String }
}
