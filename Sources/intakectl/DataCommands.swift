import Foundation
import Service

/// Commands on a daemon's data directory: `audit verify` and `replay`.
enum DataCommands {
    static func auditVerify(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--data-dir"], boolean: ["--json"])
        guard a.positional.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positional[0])'") }
        guard let dir = a.values["--data-dir"] else { throw UsageError(message: "--data-dir is required") }
        return emit(OperatorTools.auditVerify(dataDir: dir, json: a.switches.contains("--json")))
    }

    static func replay(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--data-dir", "--rules", "--since", "--tz"], boolean: ["--json"])
        guard a.positional.isEmpty else { throw UsageError(message: "unexpected argument '\(a.positional[0])'") }
        guard let dir = a.values["--data-dir"] else { throw UsageError(message: "--data-dir is required") }
        guard let rules = a.values["--rules"] else { throw UsageError(message: "--rules is required (the candidate rules)") }
        let zoneName = a.values["--tz"] ?? "America/New_York"
        guard let zone = TimeZone(identifier: zoneName) else { throw UsageError(message: "unknown time zone '\(zoneName)'") }
        let interactive = isatty(2) == 1
        let out = OperatorTools.replay(dataDir: dir, rulesDir: rules, since: a.values["--since"], timeZone: zone,
                                       json: a.switches.contains("--json")) { done, total in
            if interactive && total > 0 { stderr("\rreplaying \(done)/\(total)") }
            if interactive && done == total { stderr("\n") }
        }
        return emit(out)
    }

    /// Prints a tool's output; status 2 means the data could not be read (a failure, not usage).
    static func emit(_ out: OperatorTools.Output) -> Outcome {
        if !out.stdout.isEmpty { print(out.stdout, terminator: "") }
        if !out.stderr.isEmpty { stderr(out.stderr) }
        return out.status == 0 ? .ok : .failed
    }
}
