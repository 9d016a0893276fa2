import CSQLite

/// A value bound to a statement parameter.
enum SQLValue {
    case int(Int64)
    case text(String)
    case double(Double)
    case null

    static func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
    static func int(_ i: Int) -> SQLValue { .int(Int64(i)) }
    static func bool(_ b: Bool?) -> SQLValue { b.map { .int($0 ? 1 : 0) } ?? .null }
}

/// One sqlite3 connection with its prepared statements cached by SQL text. Not thread-safe:
/// the owner serializes use (the writer thread, or one reader at a time from the pool).
final class SQLiteConnection {
    private let db: OpaquePointer
    private var cache: [String: Statement] = [:]

    /// Opens `path`. `readOnly` connections never create the file.
    init(path: String, readOnly: Bool) throws {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close_v2(handle) }
            throw StoreError.sqlite(code: rc, message: message)
        }
        db = handle
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    private var isOpen = true

    deinit { close() }

    /// Finalizes the cached statements and closes the connection; no use is allowed after.
    func close() {
        guard isOpen else { return }
        isOpen = false
        sqlite3_wal_hook(db, nil, nil)  // its context may not outlive the connection
        cache.removeAll()  // finalizes statements before the connection closes
        sqlite3_close_v2(db)
    }

    /// Runs SQL without results (may hold several statements).
    func exec(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(err)
            throw Self.error(rc, message)
        }
    }

    /// The cached prepared statement for `sql`, reset and ready to bind.
    func statement(_ sql: String) throws -> Statement {
        if let s = cache[sql] { return s }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw Self.error(rc, lastMessage) }
        let s = Statement(stmt, connection: self)
        cache[sql] = s
        return s
    }

    /// Runs `sql` with `values` and calls `row` for each result row.
    func query(_ sql: String, _ values: [SQLValue] = [], row: (Row) throws -> Void) throws {
        let s = try statement(sql)
        defer { s.reset() }
        try s.bind(values)
        while try s.step() { try row(Row(stmt: s.stmt)) }
    }

    /// Runs `sql` with `values`, returning every row mapped by `map`.
    func all<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        var out: [T] = []
        try query(sql, values) { out.append(try map($0)) }
        return out
    }

    /// Runs `sql` with `values`, returning the first row mapped by `map`, if any.
    func first<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        let s = try statement(sql)
        defer { s.reset() }
        try s.bind(values)
        return try s.step() ? try map(Row(stmt: s.stmt)) : nil
    }

    /// Runs a statement without results; returns the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let s = try statement(sql)
        defer { s.reset() }
        try s.bind(values)
        while try s.step() {}
        return Int(sqlite3_changes(db))
    }

    /// Replaces the connection's WAL hook (and with it SQLite's automatic checkpoint), which
    /// runs after each commit with the log's size in pages. `context` must outlive the connection.
    func setWALHook(_ context: UnsafeMutableRawPointer,
                    _ hook: @escaping @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32) {
        sqlite3_wal_hook(db, hook, context)
    }

    /// A PASSIVE checkpoint of the main database: copies what it can without waiting for the
    /// writer or readers. The number of log pages copied so far, or nil when SQLite reported an error.
    @discardableResult
    func checkpoint() -> Int? {
        var logPages: Int32 = 0, copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copied)
        return rc == SQLITE_OK ? Int(max(0, copied)) : nil
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }
    var inTransaction: Bool { sqlite3_get_autocommit(db) == 0 }
    var lastMessage: String { String(cString: sqlite3_errmsg(db)) }

    static func error(_ rc: Int32, _ message: String) -> StoreError {
        (rc & 0xff) == SQLITE_CONSTRAINT ? .constraint(message: message) : .sqlite(code: rc, message: message)
    }
}

/// A prepared statement, finalized when its connection's cache drops it.
final class Statement {
    let stmt: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ stmt: OpaquePointer, connection: SQLiteConnection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    func bind(_ values: [SQLValue]) throws {
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .int(let x): rc = sqlite3_bind_int64(stmt, index, x)
            case .double(let x): rc = sqlite3_bind_double(stmt, index, x)
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .text(let s): rc = sqlite3_bind_text(stmt, index, s, Int32(s.utf8.count), intake_sqlite_transient())
            }
            guard rc == SQLITE_OK else { throw SQLiteConnection.error(rc, connection.lastMessage) }
        }
    }

    /// Advances; true when a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteConnection.error(rc, connection.lastMessage)
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }
}

/// The current row of a stepping statement; valid only inside the row callback.
struct Row {
    let stmt: OpaquePointer

    func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, i) else { return "" }
        let count = Int(sqlite3_column_bytes(stmt, i))
        return String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self)
    }
    func optText(_ i: Int32) -> String? {
        sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : text(i)
    }
    func int64(_ i: Int32) -> Int64 { sqlite3_column_int64(stmt, i) }
    func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(stmt, i)) }
    func optInt64(_ i: Int32) -> Int64? {
        sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : int64(i)
    }
    func optBool(_ i: Int32) -> Bool? {
        sqlite3_column_type(stmt, i) == SQLITE_NULL ? nil : int64(i) != 0
    }
}
