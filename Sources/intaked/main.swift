import Foundation
import Service

// intaked: parse flags, read the config, serve until SIGTERM/SIGINT. Exit codes: 0 after a
// clean stop, 1 when the configuration or the environment prevents startup, 2 for bad usage.

// Every file the daemon creates (the store and its log, secrets) is its user's alone, whatever
// umask it was started with: the store holds patient messages.
umask(0o077)

let flags: DaemonFlags
switch DaemonFlags.parse(Array(CommandLine.arguments.dropFirst())) {
case .success(let f): flags = f
case .failure(let message):
    FileHandle.standardError.write(Data("intaked: \(message)\n\(DaemonFlags.usage)\n".utf8))
    exit(2)
}
if flags.help {
    print(DaemonFlags.usage)
    exit(0)
}

let config: Config
switch ConfigLoading.load(flags: flags) {
case .success(let c): config = c
case .failure(let errors):
    for e in errors { FileHandle.standardError.write(Data((e + "\n").utf8)) }
    exit(1)
}

let daemon = Daemon(config: config)
do {
    try daemon.start()
} catch {
    FileHandle.standardError.write(Data("intaked: \(error)\n".utf8))
    exit(1)
}
daemon.wait()
exit(0)
