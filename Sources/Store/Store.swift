import AuditLog
import Foundation

/// The durable store: one SQLite file in WAL mode with `synchronous=FULL`. All writes go
/// through one writer thread that commits queued jobs in batches (group commit); reads run on
/// the caller's thread from a pool of read-only connections.
///
/// Thread-safe: the writer and the reader pool each guard their own state.
public final class Store: @unchecked Sendable {
    private let path: String
    private let auditKey: [UInt8]
    private let writer: Writer
    private let readers: ReaderPool
    private let checkpointer: Checkpointer

    /// Opens (creating if needed) the database at `path`, applies pending migrations and starts
    /// the writer. Throws `StoreError.schemaTooNew` for a database from a newer version.
    public init(path: String, auditKey: [UInt8]) throws {
        self.path = path
        self.auditKey = auditKey
        let db = try SQLiteConnection(path: path, readOnly: false)
        try db.exec("PRAGMA journal_mode = WAL")
        try db.exec("PRAGMA synchronous = FULL")
        try db.exec("PRAGMA foreign_keys = ON")
        try db.exec("PRAGMA cache_size = -16384")  // 16 MiB of pages for the writer
        // A log that grew (a long reader kept it from restarting) is cut back to 32 MiB when it
        // next restarts, instead of keeping its largest size on disk.
        try db.exec("PRAGMA journal_size_limit = 33554432")
        try Migrations.migrate(db)
        let checkpointer = try Checkpointer(path: path)
        checkpointer.attach(to: db)
        let readers = ReaderPool(path: path)
        // Once the writer has committed the last job and closed its connection: the readers,
        // then the checkpointer, whose connection is the last, so it copies what remains of the
        // log into the file.
        writer = Writer(db: db, auditKey: auditKey, checkpointer: checkpointer, onFinished: {
            readers.close()
            checkpointer.close()
        })
        self.readers = readers
        self.checkpointer = checkpointer
        writer.start()
    }

    deinit { close() }

    /// Queues `job` for the writer. `completion` gets the job's result after the batch holding
    /// it has committed, or `.failure` (the job's own error, `StoreError.commitFailed` when the
    /// batch could not commit, `StoreError.closed` after `close()`). Completions run one after
    /// another, in commit order, on the store's completion queue (not the writer thread): a
    /// slow one delays the answers of later jobs, not their commits.
    ///
    /// Jobs of a batch run one after another in one transaction. When one throws, the batch is
    /// rolled back and run again with every job in a savepoint of its own, so only the failing
    /// job is undone: a job may therefore run twice before it commits, and must have no effects
    /// outside the transaction other than its result.
    public func write<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T,
                                   completion: @escaping @Sendable (Result<T, Error>) -> Void) {
        if !writer.enqueue(JobBox(job: job, completion: completion)) {
            completion(.failure(StoreError.closed))
        }
    }

    /// Runs `job` through the writer and waits until it is committed; returns its result.
    /// Must not be called from a write completion (its own completion would queue behind it).
    @discardableResult
    public func writeAndWait<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        write(job) { result in
            box.set(result)
            done.signal()
        }
        done.wait()
        return try box.get().get()
    }

    /// Runs `body` synchronously on the caller's thread against a consistent snapshot of the
    /// committed data.
    public func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
        try readers.with { try body(ReadTransaction($0)) }
    }

    /// Stops accepting writes, finishes and commits the queued jobs, closes the connections,
    /// and returns when all that is done (every caller, a second or concurrent one too). Called
    /// from a write completion it returns at once and the writer closes the rest after its
    /// queue is drained. Later writes fail with `StoreError.closed`. Idempotent.
    public func close() {
        writer.close()
    }

    /// Jobs queued and not yet completed.
    public var pendingWrites: Int { writer.pendingCount }

    /// Walks the decision chain in `seq` order and reports the first row that does not verify.
    public func verifyAudit() throws -> AuditReport {
        let key = auditKey
        return try readers.with { db in
            var verifier = AuditVerifier(key: key)
            try db.query(ReadTransaction.decisionColumns + " ORDER BY seq") { row in
                let d = ReadTransaction.decisionRow(row)
                verifier.check(fields: WriteTransaction.auditFields(d), prevMAC: d.prevMAC ?? "", mac: d.mac ?? "")
            }
            return verifier.report
        }
    }

    /// Test hook: the COMMITs of the next `n` batches the writer takes fail (each batch is
    /// rolled back, its jobs get `StoreError.commitFailed`). A batch already running is not
    /// affected.
    @_spi(Testing) public func failNextCommits(_ n: Int) { writer.failNextCommits(n) }

    /// Batches committed since open.
    @_spi(Testing) public var commitCount: Int { writer.commitCount }

    /// Checkpoints the background checkpointer completed since open.
    @_spi(Testing) public var checkpointCount: Int { checkpointer.checkpointCount }

    /// Jobs in committed batches since open.
    @_spi(Testing) public var committedJobCount: Int { writer.committedJobCount }
}

/// Carries a result from the writer thread to a waiting caller; the semaphore orders the
/// accesses, the lock makes that explicit to the checker.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, Error>?
    func set(_ v: Result<T, Error>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Result<T, Error> { lock.lock(); defer { lock.unlock() }; return value! }
}
