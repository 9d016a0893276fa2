import Foundation
import HTTPServer
import IntakeCore
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's life: configure, open the store, load rules, serve, reload on SIGHUP, and on
/// SIGTERM/SIGINT stop accepting, finish in-flight requests, flush, and exit 0.
public final class Daemon: @unchecked Sendable {
    // Set once in `start`, read by signal handlers on `signals` (a serial queue).
    public private(set) var app: App!
    private var server: HTTPServer!
    private let config: Config
    private let log: Log
    private let notifier: SystemdNotifier
    private let signals = DispatchQueue(label: "intaked.signals")
    private var sources: [DispatchSourceSignal] = []
    private var watchdog: DispatchSourceTimer?
    private var housekeeping: DispatchSourceTimer?
    private var outbox: OutboxDispatcher?
    private let stopped = DispatchSemaphore(value: 0)

    public init(config: Config, log: Log = Log(), notifier: SystemdNotifier = SystemdNotifier()) {
        self.config = config; self.log = log; self.notifier = notifier
    }

    /// The port the server listens on (useful with port 0).
    public var port: UInt16 { server.boundPort }

    /// Starts serving. Throws `DaemonError` with a message fit for the operator.
    public func start() throws {
        try DataDirectory.prepare(config.dataDir, log: log)
        for (key, host) in config.plaintextEndpoints {
            log(.warning, "plaintext_endpoint", [("key", key), ("host", host),
                                                 ("why", "patient data would cross the network unencrypted; use https")])
        }
        let auditKey = try DataDirectory.secret(named: "audit.key", in: config.dataDir, log: log)
        let store: Store
        do { store = try Store(path: config.databasePath, auditKey: auditKey) } catch {
            throw DaemonError("cannot open the store at \(config.databasePath): \(error)")
        }
        let rules: RulesHolder
        switch RuleSetLoading.load(directory: config.rulesDir) {
        case .success(let r): rules = RulesHolder(directory: config.rulesDir, initial: r)
        case .failure(let f): throw DaemonError("the rules in \(config.rulesDir) do not load:\n" + f.lines.joined(separator: "\n"))
        }
        let model: ModelRuntime?
        switch ModelRuntime.start(config: config) {
        case .success(let m): model = m
        case .failure(let f):
            store.close()
            throw DaemonError("the model endpoint cannot start ([model], prompts in \(config.promptsDir)):\n" + f.lines.joined(separator: "\n"))
        }
        if let file = config.voice.twilioAuthTokenFile,
           (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            store.close()
            throw DaemonError("cannot read a Twilio auth token from \(file) ([voice] twilio_auth_token_file)")
        }
        let auth = try KeyBootstrap.authenticator(config: config, store: store, log: log)
        if config.demoSlots { try loadDemoSlots(store) }
        let app = App(config: config, store: store, rules: rules, auth: auth, log: log, model: model)
        do { outbox = try OutboxDispatcher.make(config: config, store: store, metrics: app.metrics, log: log) } catch {
            store.close()
            throw error
        }
        let serverConfig = HTTPServerConfig(host: config.listenHost, port: config.listenPort, maxBodyBytes: config.maxBodyBytes,
                                            connectionLimit: config.connectionLimit,
                                            perIPConnectionLimit: config.perIPConnectionLimit,
                                            connectionTimeoutSeconds: config.connectionTimeoutSeconds,
                                            threadPoolSize: config.threads)
        let server = HTTPServer(config: serverConfig, handler: app.handler()) { [metrics = app.metrics] method, _, status, seconds in
            metrics.observeRequest(method: method, status: status, seconds: seconds)
        }
        do { try server.start() } catch {
            store.close()
            throw DaemonError("cannot listen on \(config.listenHost):\(config.listenPort): \(error)")
        }
        self.app = app
        self.server = server
        installSignalHandlers()
        startWatchdog()
        startHousekeeping()
        outbox?.start()
        log(.info, "started", [("listen", "\(config.listenHost):\(server.boundPort)"), ("data_dir", config.dataDir),
                               ("rules_version", rules.snapshot.version)])
        notifier.ready()
    }

    /// `--demo-slots`: the demo inventory relative to today, upserted (idempotent).
    private func loadDemoSlots(_ store: Store) throws {
        do {
            let counts = try SlotInventory.loadDemo(store: store, now: Date(), timeZone: config.timeZone)
            log(.info, "demo_slots_loaded", [("created", String(counts.created)), ("updated", String(counts.updated))])
        } catch {
            store.close()
            throw DaemonError("cannot load the demo slots: \(error)")
        }
    }

    /// Blocks until a stop signal has been handled.
    public func wait() { stopped.wait() }

    /// Stops accepting, drains in-flight requests, flushes the store, exits the wait.
    public func stop(reason: String) {
        notifier.stopping()
        log(.info, "stopping", [("reason", reason), ("in_flight", String(server.inFlight))])
        server.quiesce()
        let drained = server.drain(timeoutSeconds: config.drainSeconds)
        outbox?.stop()  // after the drain, before the store closes: in-flight outcomes get recorded
        app.store.close()
        server.stop()
        watchdog?.cancel()
        housekeeping?.cancel()
        log(.info, "stopped", [("drained", String(drained))])
        stopped.signal()
    }

    private func installSignalHandlers() {
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)  // let the dispatch source, not the default action, see it
            let source = DispatchSource.makeSignalSource(signal: sig, queue: signals)
            source.setEventHandler { [weak self] in self?.handle(signal: sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func handle(signal sig: Int32) {
        if sig == SIGHUP {
            notifier.reloading()
            _ = app.reloadRules(trigger: "sighup")
            notifier.ready()
        } else {
            sources.forEach { $0.cancel() }
            stop(reason: sig == SIGTERM ? "sigterm" : "sigint")
        }
    }

    /// Forgets calls that ended or went quiet, once a minute.
    private func startHousekeeping() {
        let timer = DispatchSource.makeTimerSource(queue: signals)
        timer.schedule(deadline: .now() + 60, repeating: 60)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            self.app.voice.desk.sweep(now: Date(), idleSeconds: 900)
        }
        timer.resume()
        housekeeping = timer
    }

    private func startWatchdog() {
        guard let interval = SystemdNotifier.watchdogInterval() ?? config.watchdogSeconds, notifier.isEnabled else { return }
        let timer = DispatchSource.makeTimerSource(queue: signals)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        // Ping only while the store's writer keeps up, so a wedged writer trips the watchdog.
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            if self.app.store.pendingWrites < 100_000 { self.notifier.watchdog() }
        }
        timer.resume()
        watchdog = timer
    }
}

/// A startup failure, said for the operator.
public struct DaemonError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
