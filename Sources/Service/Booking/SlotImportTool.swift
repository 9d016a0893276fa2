import Foundation
import Scheduling
import Store

/// `intakectl slots import FILE --data-dir DIR`: the same parsing and all-or-nothing store job
/// as `PUT /v1/slots`, offline. The data directory is prepared as the daemon would (it may
/// be imported into before the first start), and SQLite's WAL lets a running daemon coexist.
public enum SlotImportTool {
    /// Why an import did not happen.
    public enum Failure: Error, CustomStringConvertible {
        /// The document has invalid records: one line each, `record N: reason`.
        case invalid(SlotImportFailure)
        /// The file or the store could not be used.
        case io(String)

        public var description: String {
            switch self {
            case .invalid(let f): f.description
            case .io(let text): text
            }
        }
    }

    /// Imports `file` into the store of `dataDir`. The format follows the file's extension
    /// (`.ndjson`/`.jsonl` as NDJSON), else its content. `progress` gets (done, total).
    public static func run(file: String, dataDir: String,
                           progress: @escaping @Sendable (Int, Int) -> Void) -> Result<SlotInventory.Counts, Failure> {
        guard let data = FileManager.default.contents(atPath: file) else { return .failure(.io("cannot read \(file)")) }
        let type = file.hasSuffix(".ndjson") || file.hasSuffix(".jsonl") ? "application/x-ndjson" : nil
        let batch: SlotBatch
        switch SlotImport.parseBatch(Array(data), contentType: type) {
        case .failure(let f): return .failure(.invalid(f))
        case .success(let b): batch = b
        }
        do {
            try DataDirectory.prepare(dataDir)
            let key = try DataDirectory.secret(named: "audit.key", in: dataDir, log: Log(sink: { _ in }))
            let store = try Store(path: dataDir + "/intake.sqlite", auditKey: key)
            defer { store.close() }
            let now = Date()
            let counts = try store.writeAndWait { tx in try SlotInventory.apply(batch, now: now, tx: tx, progress: progress) }
            return .success(counts)
        } catch {
            return .failure(.io("cannot import into \(dataDir): \(error)"))
        }
    }
}
