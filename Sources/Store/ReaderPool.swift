import Foundation

/// Read-only connections handed out one per `read`. WAL readers see the last committed state
/// and never block the writer. Idle connections are kept up to `maxIdle`; a burst beyond that
/// opens extra connections that are closed after use.
final class ReaderPool: @unchecked Sendable {
    /// Guards `idle` and `closed`.
    private let lock = NSLock()
    private var idle: [SQLiteConnection] = []
    private var closed = false
    private let path: String
    private let maxIdle: Int

    init(path: String, maxIdle: Int = 4) {
        self.path = path
        self.maxIdle = maxIdle
    }

    /// Runs `body` on a connection inside a read transaction (one consistent snapshot).
    func with<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let db = try checkout()
        defer { checkin(db) }
        try db.run("BEGIN")
        do {
            let value = try body(db)
            try db.run("COMMIT")
            return value
        } catch {
            if db.inTransaction { _ = try? db.run("ROLLBACK") }
            throw error
        }
    }

    func close() {
        lock.lock(); defer { lock.unlock() }
        closed = true
        idle.removeAll()
    }

    private func checkout() throws -> SQLiteConnection {
        lock.lock()
        if closed { lock.unlock(); throw StoreError.closed }
        if let db = idle.popLast() { lock.unlock(); return db }
        lock.unlock()
        let db = try SQLiteConnection(path: path, readOnly: true)
        try db.exec("PRAGMA query_only = ON")
        return db
    }

    private func checkin(_ db: SQLiteConnection) {
        lock.lock(); defer { lock.unlock() }
        // A connection whose ROLLBACK failed still holds its snapshot: dropped, not reused.
        if !closed && idle.count < maxIdle && !db.inTransaction { idle.append(db) }
    }
}
