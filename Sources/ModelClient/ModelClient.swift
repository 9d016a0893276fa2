import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IntakeCore
import Prompts

/// Calls an OpenAI-compatible `/v1/chat/completions` endpoint to classify one message.
///
/// `classify` never blocks its caller: it renders the request and hands it to URLSession
/// (libcurl on Linux), and the completion runs later on another thread — exactly once, by the
/// deadline at the latest. Calls beyond `concurrency`, or while the circuit breaker is open,
/// are skipped at once. Response bodies are read up to `maxResponseBytes` and no further.
public final class ModelClient: @unchecked Sendable {
    // @unchecked: the mutable state (breaker, inFlight, calls) is guarded by `lock`; the rest
    // is immutable after init. URLSession is thread-safe.
    /// The endpoint this client calls.
    public let config: ModelEndpointConfig
    private let clock: any Clock
    private let apiKey: String?
    private let session: URLSession
    private let delegate: SessionDelegate
    private let lock = NSLock()
    private var breaker: CircuitBreaker
    private var inFlight = 0

    /// Creates a client. Reads the API key file now; throws when it cannot be read.
    public init(config: ModelEndpointConfig, clock: any Clock = SystemClock()) throws {
        self.config = config
        self.clock = clock
        self.breaker = CircuitBreaker(settings: config.breaker)
        if let file = config.apiKeyFile {
            guard let data = FileManager.default.contents(atPath: file),
                  let key = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !key.isEmpty else {
                throw ModelClientError(code: "api_key_unreadable", message: "cannot read the API key file \(file)")
            }
            self.apiKey = key
        } else {
            self.apiKey = nil
        }
        let sessionConfig = URLSessionConfiguration.ephemeral
        sessionConfig.httpMaximumConnectionsPerHost = config.concurrency
        sessionConfig.timeoutIntervalForRequest = Double(config.timeoutMs) / 1000 + 1
        sessionConfig.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.delegate = SessionDelegate(maxBytes: config.maxResponseBytes)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        self.session = URLSession(configuration: sessionConfig, delegate: delegate, delegateQueue: queue)
    }

    deinit { session.invalidateAndCancel() }

    /// The breaker's current state (for metrics and tests).
    public var breakerState: CircuitBreaker.State { lock.withLock { breaker.state } }

    /// Calls in flight now.
    public var callsInFlight: Int { lock.withLock { inFlight } }

    /// Asks the model to classify `input` with `prompt`. Returns at once; `completion` runs
    /// exactly once on another thread, no later than the deadline plus scheduling slack.
    public func classify(input: ClassifyInput, prompt: PromptTemplate,
                         completion: @escaping @Sendable (ModelResult) -> Void) {
        let model = config.model, version = prompt.version
        func skip(_ reason: String) {
            let result = ModelResult(outcome: .skipped(reason), model: model, promptVersion: version, latencyMs: 0)
            DispatchQueue.global().async { completion(result) }
        }
        guard let body = try? ChatRequest.body(for: input, prompt: prompt, model: model) else {
            return skip("prompt_render")
        }
        let refusal: String? = lock.withLock {
            // Over the limit: skip rather than queue, so a slow endpoint cannot pile up work.
            guard inFlight < config.concurrency else { return "concurrency_limit" }
            guard breaker.admit(now: clock.now()) != .reject else { return "circuit_open" }
            inFlight += 1
            return nil
        }
        if let refusal { return skip(refusal) }
        start(body: body, version: version, completion: completion)
    }

    /// `classify` for async callers: suspends (never blocks a thread) until the result.
    public func classify(input: ClassifyInput, prompt: PromptTemplate) async -> ModelResult {
        await withCheckedContinuation { continuation in
            classify(input: input, prompt: prompt) { continuation.resume(returning: $0) }
        }
    }

    private func start(body: Data, version: String, completion: @escaping @Sendable (ModelResult) -> Void) {
        var request = URLRequest(url: config.chatCompletionsURL)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        request.timeoutInterval = Double(config.timeoutMs) / 1000 + 1

        let started = DispatchTime.now()
        let model = config.model
        let task = session.dataTask(with: request)
        let finish: @Sendable (ModelOutcome) -> Void = { [weak self] outcome in
            let ms = Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
            self?.callEnded(success: { if case .answer = outcome { true } else { false } }())
            completion(ModelResult(outcome: outcome, model: model, promptVersion: version, latencyMs: ms))
        }
        delegate.register(task: task, finish: finish)
        task.resume()
        // The hard deadline: whichever of this and the response comes first wins. The task is
        // not cancelled from here: cancelling from outside the session's delegate queue races
        // with its completion inside FoundationNetworking and can abort the process. The request's
        // own timeout (deadline + 1 s) ends it; its late answer finds no call and is dropped.
        let deadline = DispatchTime.now() + .milliseconds(config.timeoutMs)
        DispatchQueue.global().asyncAfter(deadline: deadline) { [delegate] in
            _ = delegate.finish(taskID: task.taskIdentifier, .failed("timeout"))
        }
    }

    private func callEnded(success: Bool) {
        lock.withLock {
            inFlight -= 1
            breaker.record(success: success, now: clock.now())
        }
    }
}
