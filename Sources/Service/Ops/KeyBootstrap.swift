import Foundation
import IntakeCore
import Store

/// Builds the authenticator from configured and stored keys; on first start with no keys at
/// all, creates an admin key, stores only its hash, and writes the token to `admin.token`.
enum KeyBootstrap {
    static func authenticator(config: Config, store: Store, log: Log) throws -> Authenticator {
        let auth = Authenticator()
        for key in config.keys { auth.add(name: key.name, sha256: key.sha256, scopes: key.scopes) }
        let stored = try store.read { try $0.apiKeys() }
        for key in stored {
            guard case .success(let scopes) = Scope.parseList(key.scopes) else { continue }
            auth.add(name: key.name, sha256: key.sha256, scopes: scopes)
        }
        guard auth.isEmpty else { return auth }
        let (token, hash) = Authenticator.newToken()
        let path = config.dataDir + "/admin.token"
        try? FileManager.default.removeItem(atPath: path)  // a stale token file whose key is gone
        try DataDirectory.writePrivate(token + "\n", to: path)
        let now = RFC3339.format(Date())
        try store.writeAndWait { tx in
            try tx.insertAPIKey(APIKeyRecord(name: "admin", sha256: hash, scopes: "admin", createdAt: now))
        }
        auth.add(name: "admin", sha256: hash, scopes: [.admin])
        log(.info, "admin_key_created", [("token_file", path)])
        return auth
    }
}
