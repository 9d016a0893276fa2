/// Random identifiers with a readable prefix: `dec_3f9a...`.
public enum IDs {
    /// A new identifier `PREFIX_` + 24 hex digits (96 random bits).
    public static func make(_ prefix: String) -> String {
        prefix + "_" + Digest.hex(Digest.randomBytes(12))
    }
}
