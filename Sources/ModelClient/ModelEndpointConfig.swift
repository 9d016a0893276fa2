import Foundation

/// How to reach an OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp server,
/// Ollama, a hosted API). Built by the service from the `[model]` config section.
public struct ModelEndpointConfig: Sendable, Equatable {
    /// The endpoint: either the full `.../v1/chat/completions` URL or the server's base URL
    /// (`http://127.0.0.1:8000` or `.../v1`), to which the path is appended.
    public var endpoint: URL
    /// The model name sent in each request (`"model"`), and recorded in decisions.
    public var model: String
    /// Hard deadline per call, in milliseconds; past it the call counts as failed.
    public var timeoutMs: Int
    /// File holding the API key (sent as `Authorization: Bearer`); nil for none.
    public var apiKeyFile: String?
    /// Largest response body accepted, in bytes; a longer one is cut off and counts as failed.
    public var maxResponseBytes: Int
    /// Most calls in flight at once; a call beyond it is skipped, not queued.
    public var concurrency: Int
    /// Circuit breaker settings.
    public var breaker: CircuitBreaker.Settings

    /// Creates a configuration with the defaults of the `[model]` section.
    public init(endpoint: URL, model: String, timeoutMs: Int = 1500, apiKeyFile: String? = nil,
                maxResponseBytes: Int = 64 * 1024, concurrency: Int = 4,
                breaker: CircuitBreaker.Settings = .init()) {
        self.endpoint = endpoint; self.model = model; self.timeoutMs = timeoutMs
        self.apiKeyFile = apiKeyFile; self.maxResponseBytes = maxResponseBytes
        self.concurrency = max(1, concurrency); self.breaker = breaker
    }

    /// The URL requests are POSTed to.
    public var chatCompletionsURL: URL {
        let path = endpoint.path
        if path.hasSuffix("/chat/completions") { return endpoint }
        if path.hasSuffix("/v1") || path.hasSuffix("/v1/") {
            return endpoint.appendingPathComponent("chat").appendingPathComponent("completions")
        }
        return endpoint.appendingPathComponent("v1").appendingPathComponent("chat").appendingPathComponent("completions")
    }
}
