import Foundation

// Exit codes are assigned here and only here: 0 ok, 1 the check failed, 2 usage error.
let status = CommandTable.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
