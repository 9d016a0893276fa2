/// Errors from the store. Messages carry SQLite's own text (table and column names), never
/// bound values, so no patient data reaches logs through them.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The batch's COMMIT failed: nothing from the batch was recorded.
    case commitFailed
    /// The store is closed (or closing) and accepts no more work.
    case closed
    /// A constraint (UNIQUE, CHECK, FOREIGN KEY, NOT NULL) rejected the statement.
    case constraint(message: String)
    /// Any other SQLite failure.
    case sqlite(code: Int32, message: String)
    /// The database was written by a newer version of the code (its schema version).
    case schemaTooNew(Int)

    public var description: String {
        switch self {
        case .commitFailed: "the transaction could not be committed"
        case .closed: "the store is closed"
        case .constraint(let m): "constraint violated: \(m)"
        case .sqlite(let code, let m): "sqlite error \(code): \(m)"
        case .schemaTooNew(let v): "the database schema version \(v) is newer than this program supports"
        }
    }

    /// True for a constraint violation (for example a duplicate key).
    public var isConstraint: Bool {
        if case .constraint = self { return true }
        return false
    }
}
