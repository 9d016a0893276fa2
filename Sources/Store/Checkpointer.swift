import CSQLite
import Foundation

/// Copies the write-ahead log back into the database file on a thread of its own, so the
/// single writer does not spend a batch's time on it.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold, on the
/// committing connection: with one writer that stalls every queued job behind a copy of the
/// whole log and an fsync of the database file. Here the writer's WAL hook (which replaces
/// the automatic checkpoint) only notes the log's size and wakes this thread, which runs a
/// PASSIVE checkpoint on its own connection while the writer keeps appending.
///
/// A log is only started over from its beginning by a writer whose transaction begins when
/// every frame has been copied, and under steady load the writer commits more while the copy
/// runs, so the log would grow without end. So after each copy the writer is told
/// (`takeTail`) to copy the few frames committed meanwhile itself, between two batches; its
/// next transaction then restarts the log. One cycle at a time: idle → copying (this thread)
/// → tail due (the writer) → idle.
///
/// Thread-safe: `lock` guards the shared fields; the connection is used by the thread only.
final class Checkpointer: @unchecked Sendable {
    /// Log size (pages) from which a checkpoint is started: SQLite's own default.
    static let thresholdPages = 1000

    private enum Phase { case idle, copying, tailDue }

    private let lock = NSCondition()
    private var phase = Phase.idle
    private var closing = false
    private var finished = false
    private var checkpoints = 0
    private let db: SQLiteConnection

    init(path: String) throws {
        db = try SQLiteConnection(path: path, readOnly: false)
        try db.exec("PRAGMA synchronous = FULL")
    }

    /// Installs the hook on the writer's connection (this disables SQLite's automatic
    /// checkpoint on it) and starts the thread.
    func attach(to writer: SQLiteConnection) {
        writer.setWALHook(Unmanaged.passUnretained(self).toOpaque()) { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(logPages: Int(pages))
            return SQLITE_OK
        }
        let t = Thread { [self] in
            Thread.current.name = "intake-ckpt"
            loop()
        }
        t.start()
    }

    /// Called on the writer thread after each commit with the log's size in pages.
    private func committed(logPages pages: Int) {
        guard pages >= Self.thresholdPages else { return }
        lock.lock()
        if phase == .idle {
            phase = .copying
            lock.signal()
        }
        lock.unlock()
    }

    /// True once after each background copy: the writer should now checkpoint, on its own
    /// connection and before its next BEGIN, the frames it committed during the copy.
    func takeTail() -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard phase == .tailDue else { return false }
        phase = .idle
        return true
    }

    /// Background copies that copied pages, since open.
    var checkpointCount: Int { lock.lock(); defer { lock.unlock() }; return checkpoints }

    /// Stops the thread (after a copy in progress) and closes its connection. Call after the
    /// writer has closed, so that no hook fires any more.
    func close() {
        lock.lock()
        closing = true
        lock.broadcast()
        while !finished { lock.wait() }
        lock.unlock()
    }

    private func loop() {
        while true {
            lock.lock()
            while phase != .copying && !closing { lock.wait() }
            if closing {
                db.close()
                finished = true
                lock.broadcast()
                lock.unlock()
                return
            }
            lock.unlock()
            // PASSIVE never waits for the writer or for readers. On failure (an I/O error) the
            // writer's tail checkpoint copies everything instead.
            let copied = db.checkpoint() ?? 0
            lock.lock()
            if copied > 0 { checkpoints += 1 }
            phase = .tailDue
            lock.unlock()
        }
    }
}
