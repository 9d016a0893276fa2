/// API scopes of the contract. `admin` implies every other scope.
public enum Scope: String, Sendable, CaseIterable, Hashable {
    case ingest, staff, scheduling, audit, admin

    /// Parses a space- or comma-separated scope list; nil names the first unknown scope.
    public static func parseList(_ text: String) -> Result<Set<Scope>, UsageError> {
        var scopes = Set<Scope>()
        for word in text.split(whereSeparator: { $0 == " " || $0 == "," }) where !word.isEmpty {
            guard let scope = Scope(rawValue: String(word)) else { return .failure(UsageError(String(word))) }
            scopes.insert(scope)
        }
        return .success(scopes)
    }

    /// The canonical text form, sorted, space separated.
    public static func format(_ scopes: Set<Scope>) -> String {
        scopes.map(\.rawValue).sorted().joined(separator: " ")
    }
}
