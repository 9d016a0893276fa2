import Foundation

// Files the tools create in a data directory (a store made by `slots import`) are the user's alone.
umask(0o077)

// Exit codes are assigned here and only here: 0 ok, 1 the check failed, 2 usage error.
let status = CommandTable.run(Array(CommandLine.arguments.dropFirst()))
exit(status)
