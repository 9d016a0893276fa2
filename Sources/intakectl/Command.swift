import Foundation

/// A subcommand: the words that select it, a one-line usage, and what it runs.
/// New subcommands (audit verify, replay, slots import) are added by appending to `CommandTable.all`.
struct Command: Sendable {
    var words: [String]
    var usage: String
    var run: @Sendable ([String]) throws -> Outcome
}

/// The result of a subcommand, mapped to an exit status in one place.
enum Outcome {
    case ok
    case failed
}

/// A mistake in how intakectl was called; prints the usage and exits 2.
struct UsageError: Error {
    var message: String
}

/// A failure that is not a usage error (unreadable file, bad rules); exits 1.
struct CommandError: Error {
    var message: String
}

enum CommandTable {
    static let all: [Command] = [
        Command(words: ["rules", "check"], usage: "rules check [DIR]", run: RulesCommands.check),
        Command(words: ["classify"], usage: "classify [--rules DIR] [--sent-at RFC3339] [--tz ZONE] TEXT", run: RulesCommands.classify),
        Command(words: ["eval"], usage: "eval [--rules DIR] CORPUS.jsonl [--json] [--misses]", run: RulesCommands.eval),
        Command(words: ["bench-classify"], usage: "bench-classify [--rules DIR] [--corpus FILE] [--scale N]", run: BenchCommand.run),
        Command(words: ["audit", "verify"], usage: "audit verify --data-dir DIR [--json]", run: DataCommands.auditVerify),
        Command(words: ["replay"], usage: "replay --data-dir DIR --rules NEWDIR [--since RFC3339] [--tz ZONE] [--json]",
                run: DataCommands.replay),
        Command(words: ["slots", "import"], usage: "slots import FILE --data-dir DIR [--json]", run: SlotsCommand.importSlots),
    ]

    static var usage: String {
        "usage: intakectl <command>\n" + all.map { "  intakectl " + $0.usage }.joined(separator: "\n") + "\n"
    }

    /// Picks the longest matching command, runs it, and maps the result to an exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let matching = all.filter { arguments.starts(with: $0.words) }.max { $0.words.count < $1.words.count }
        guard let command = matching else {
            if arguments.first == "help" || arguments.first == "--help" || arguments.first == "-h" {
                print(usage, terminator: ""); return 0
            }
            stderr("intakectl: unknown command '\(arguments.joined(separator: " "))'\n" + usage)
            return 2
        }
        do {
            switch try command.run(Array(arguments.dropFirst(command.words.count))) {
            case .ok: return 0
            case .failed: return 1
            }
        } catch let e as UsageError {
            stderr("intakectl: \(e.message)\nusage: intakectl \(command.usage)\n")
            return 2
        } catch let e as CommandError {
            stderr("intakectl: \(e.message)\n")
            return 1
        } catch {
            stderr("intakectl: \(error)\n")
            return 1
        }
    }
}

/// Writes to standard error.
func stderr(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
