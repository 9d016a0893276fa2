import Foundation

/// A queued write job with its type erased. `run` executes on the writer thread inside the
/// batch's transaction (again, in a savepoint of its own, when a sibling failed); `finish`
/// delivers the result after the batch's COMMIT (or its failure).
protocol QueuedJob: AnyObject, Sendable {
    /// Runs the job; true when it succeeded. A later run replaces the result of an earlier one.
    func run(_ tx: WriteTransaction) -> Bool
    /// Calls the completion: with the job's own result, or with `batchError` when the batch failed.
    func finish(batchError: Error?)
}

/// `result` is written by `run` on the writer thread and read by `finish` on the completion
/// queue; the box needs no lock, as it crosses threads only through the writer's locked queue
/// and the dispatch of its batch's completions.
final class JobBox<T: Sendable>: QueuedJob, @unchecked Sendable {
    private let job: @Sendable (WriteTransaction) throws -> T
    private let completion: @Sendable (Result<T, Error>) -> Void
    private var result: Result<T, Error>?

    init(job: @escaping @Sendable (WriteTransaction) throws -> T, completion: @escaping @Sendable (Result<T, Error>) -> Void) {
        self.job = job
        self.completion = completion
    }

    func run(_ tx: WriteTransaction) -> Bool {
        do { result = .success(try job(tx)); return true } catch { result = .failure(error); return false }
    }

    func finish(batchError: Error?) {
        if let batchError { completion(.failure(batchError)) } else { completion(result ?? .failure(StoreError.commitFailed)) }
    }
}

/// The single writer: owns the write connection and drains the job queue in batches, one
/// transaction (one fsync) per batch.
final class Writer: @unchecked Sendable {
    /// Guards `queue`, `closing`, `pending`, `failCommits`, `commits`, `committedJobs`, `finished`.
    private let lock = NSCondition()
    private var queue: [QueuedJob] = []
    private var closing = false
    private var finished = false
    private var pending = 0
    private var failCommits = 0
    private(set) var commits = 0
    private(set) var committedJobs = 0
    private var thread: Thread?

    private let db: SQLiteConnection
    private let tx: WriteTransaction
    /// Most jobs in one transaction: bounds the latency a batch adds to its first job.
    static let maxBatch = 512

    /// Where completions run: one block per batch, batches in commit order, off the writer
    /// thread, so a completion never delays the next batch and the writer pays one dispatch
    /// per batch rather than one per job.
    private let completions = DispatchQueue(label: "intake.store.completions")
    private static let completionsKey = DispatchSpecificKey<ObjectIdentifier>()

    private let checkpointer: Checkpointer?
    /// Runs on the writer thread once the last job has committed and the connection is closed
    /// (the store closes its other connections there, whichever thread asked to close).
    private let onFinished: (@Sendable () -> Void)?

    init(db: SQLiteConnection, auditKey: [UInt8], checkpointer: Checkpointer? = nil,
         onFinished: (@Sendable () -> Void)? = nil) {
        self.db = db
        self.checkpointer = checkpointer
        self.onFinished = onFinished
        self.tx = WriteTransaction(db, auditKey: auditKey)
        completions.setSpecific(key: Self.completionsKey, value: ObjectIdentifier(self))
    }

    func start() {
        // Named from the thread itself, within Linux's 15 characters, so `top -H` and
        // /proc/PID/task/*/comm show it (a longer name is silently not set).
        let t = Thread { [self] in
            Thread.current.name = "intake-writer"
            loop()
        }
        thread = t
        t.start()
    }

    /// Queues a job; false when closing (the caller fails it with `.closed`).
    func enqueue(_ job: QueuedJob) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard !closing else { return false }
        queue.append(job)
        pending += 1
        lock.signal()
        return true
    }

    var pendingCount: Int { lock.lock(); defer { lock.unlock() }; return pending }
    var commitCount: Int { lock.lock(); defer { lock.unlock() }; return commits }
    var committedJobCount: Int { lock.lock(); defer { lock.unlock() }; return committedJobs }

    func failNextCommits(_ n: Int) { lock.lock(); failCommits += n; lock.unlock() }

    /// Stops accepting jobs, lets the queued ones finish and their completions run, and waits
    /// for the writer to exit (unless called from a completion, which the writer waits for).
    /// Every caller waits, not only the first.
    func close() {
        let inCompletion = DispatchQueue.getSpecific(key: Self.completionsKey) == ObjectIdentifier(self)
        lock.lock()
        closing = true
        lock.broadcast()
        let onWriter = Thread.current === thread
        while !finished && !onWriter && !inCompletion { lock.wait() }
        lock.unlock()
    }

    private func loop() {
        while true {
            lock.lock()
            while queue.isEmpty && !closing { lock.wait() }
            if queue.isEmpty && closing {
                lock.unlock()
                completions.sync {}  // the last batches' completions, which may still read
                db.close()
                onFinished?()
                lock.lock()
                finished = true
                lock.broadcast()
                lock.unlock()
                return
            }
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            let injectFailure = failCommits > 0
            if injectFailure { failCommits -= 1 }
            lock.unlock()
            runBatch(batch, injectFailure: injectFailure)
        }
    }

    private func runBatch(_ batch: [QueuedJob], injectFailure: Bool) {
        var batchError: Error? = nil
        // Copies what was committed during the background checkpoint, so that this batch's
        // transaction starts the log over (see `Checkpointer`). A failure only leaves the log longer.
        if checkpointer?.takeTail() == true { db.checkpoint() }
        do {
            try db.run("BEGIN IMMEDIATE")
            if !runTogether(batch) {
                // A job failed: undo the batch and run it again with each job in its own
                // savepoint, so that only the failing job is undone.
                try db.exec("ROLLBACK")
                tx.chainHead = nil
                try db.run("BEGIN IMMEDIATE")
                for job in batch { try runInSavepoint(job) }
            }
            if injectFailure { throw StoreError.commitFailed }
            try db.run("COMMIT")
        } catch {
            if db.inTransaction { try? db.exec("ROLLBACK") }
            tx.chainHead = nil
            batchError = StoreError.commitFailed
        }
        lock.lock()
        if batchError == nil { commits += 1; committedJobs += batch.count }
        pending -= batch.count
        lock.unlock()
        // Completions run only now: after COMMIT returned (durable with synchronous=FULL),
        // or after the rollback when the batch failed.
        let error = batchError
        completions.async { for job in batch { job.finish(batchError: error) } }
    }

    /// Runs the jobs one after another in the open transaction, without savepoints: a
    /// savepoint copies every page a job first changes into the sub-journal, which cost more
    /// than the job's own statements. False as soon as a job fails (the caller rolls back).
    private func runTogether(_ batch: [QueuedJob]) -> Bool {
        for job in batch where !job.run(tx) { return false }
        return true
    }

    /// Runs one job in its own savepoint; a failing job is undone alone. Throws only when the
    /// savepoint machinery itself fails, which fails the whole batch.
    private func runInSavepoint(_ job: QueuedJob) throws {
        try db.run("SAVEPOINT job")
        if job.run(tx) {
            try db.run("RELEASE job")
        } else {
            tx.chainHead = nil
            try db.run("ROLLBACK TO job")
            try db.run("RELEASE job")
        }
    }
}
