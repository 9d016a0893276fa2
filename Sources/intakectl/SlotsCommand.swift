import Foundation
import Service

/// `intakectl slots import FILE --data-dir DIR`: loads a JSON array, NDJSON, or FHIR R4
/// Bundle of Slot resources. Exit 0 with the counts; 1 with one `record N: reason` line per
/// invalid record (nothing is imported) or when the store cannot be written.
enum SlotsCommand {
    static func importSlots(_ args: [String]) throws -> Outcome {
        let a = try Arguments(args, valued: ["--data-dir"], boolean: ["--json"])
        guard a.positional.count == 1 else { throw UsageError(message: "exactly one FILE is expected") }
        guard let dir = a.values["--data-dir"] else { throw UsageError(message: "--data-dir is required") }
        let interactive = isatty(2) == 1
        let result = SlotImportTool.run(file: a.positional[0], dataDir: dir) { done, total in
            // Big files take a while: show progress where someone watches.
            if interactive && total >= 1000 { stderr("\rimporting \(done)/\(total)" + (done == total ? "\n" : "")) }
        }
        switch result {
        case .success(let c):
            if a.switches.contains("--json") {
                print("{\"received\":\(c.received),\"created\":\(c.created),\"updated\":\(c.updated),\"blocked\":\(c.blocked),\"ignored\":\(c.ignored)}")
            } else {
                print("imported \(c.received) slots: \(c.created) created, \(c.updated) updated, \(c.blocked) blocked")
            }
            return .ok
        case .failure(.invalid(let f)):
            stderr("intakectl slots import: nothing imported\n" + f.description + "\n")
            return .failed
        case .failure(let other):
            stderr("intakectl slots import: \(other)\n")
            return .failed
        }
    }
}
