/// Parsed command-line flags and positional arguments. Unknown flags are usage errors.
struct Arguments {
    var values: [String: String] = [:]
    var switches: Set<String> = []
    var positional: [String] = []

    /// `valued` flags take the next argument; `boolean` flags take none. `--` ends the flags.
    init(_ args: [String], valued: Set<String> = [], boolean: Set<String> = []) throws {
        var i = 0
        var flagsDone = false
        while i < args.count {
            let a = args[i]
            i += 1
            if flagsDone || !a.hasPrefix("--") { positional.append(a); continue }
            if a == "--" { flagsDone = true; continue }
            if boolean.contains(a) { switches.insert(a); continue }
            guard valued.contains(a) else { throw UsageError(message: "unknown flag '\(a)'") }
            guard i < args.count else { throw UsageError(message: "flag '\(a)' needs a value") }
            values[a] = args[i]
            i += 1
        }
    }
}
