import Foundation
import ModelClient
import Prompts

/// The model endpoint in force: the `[model]` settings, the prompt library and a client built
/// from them. A reload builds a complete new snapshot (prompts re-read, API key file re-read),
/// and `commit` swaps it in only once the rules have loaded too, so rules and prompts change
/// together or not at all.
public final class ModelRuntime: @unchecked Sendable {
    // @unchecked: `current` is guarded by `lock`; everything else is immutable.

    /// One consistent set: the client and the template it renders.
    public struct Snapshot: Sendable {
        public let client: ModelClient
        public let prompt: PromptTemplate
        public let library: PromptLibrary
    }

    /// The name of the template used to classify (`classify.prompt`).
    public static let templateName = "classify"

    /// The `[model]` section.
    public let settings: Config.Model
    /// Where the prompt templates are read from.
    public let promptsDir: String
    private let lock = NSLock()
    private var current: Snapshot

    init(settings: Config.Model, promptsDir: String, initial: Snapshot) {
        self.settings = settings; self.promptsDir = promptsDir; self.current = initial
    }

    /// Loads prompts and builds the client for `config`; nil when there is no `[model]` section.
    /// A failure carries one `FILE:LINE:COLUMN: message` item per problem, like a rule load.
    public static func start(config: Config) -> Result<ModelRuntime?, RuleLoadFailure> {
        guard let settings = config.model else { return .success(nil) }
        return build(settings: settings, promptsDir: config.promptsDir).map {
            ModelRuntime(settings: settings, promptsDir: config.promptsDir, initial: $0)
        }
    }

    /// The snapshot a consultation uses from start to end.
    public var snapshot: Snapshot { lock.withLock { current } }

    /// Builds a new snapshot from the files as they are now, without putting it in force.
    public func stage() -> Result<Snapshot, RuleLoadFailure> { Self.build(settings: settings, promptsDir: promptsDir) }

    /// Puts a staged snapshot in force. Calls already started finish on the old client.
    public func commit(_ snapshot: Snapshot) { lock.withLock { current = snapshot } }

    static func build(settings: Config.Model, promptsDir: String) -> Result<Snapshot, RuleLoadFailure> {
        let library: PromptLibrary
        do { library = try PromptLibrary.load(directory: promptsDir) } catch let error as PromptError {
            return .failure(failure(error, promptsDir: promptsDir))
        } catch {
            return .failure(single(promptsDir, "cannot load the prompt templates"))
        }
        guard let prompt = library.template(named: templateName) else {
            let file = (promptsDir as NSString).appendingPathComponent(templateName + ".prompt")
            return .failure(single(file, "the model endpoint needs this prompt template, and it is missing"))
        }
        guard let url = URL(string: settings.endpoint) else { return .failure(single("[model]", "'endpoint' is not a URL")) }
        let endpoint = ModelEndpointConfig(endpoint: url, model: settings.model, timeoutMs: settings.timeoutMs,
                                           apiKeyFile: settings.apiKeyFile, maxResponseBytes: settings.maxResponseBytes,
                                           concurrency: settings.concurrency)
        do {
            return .success(Snapshot(client: try ModelClient(config: endpoint), prompt: prompt, library: library))
        } catch {
            // The key file's path is configuration, not a secret; its content never appears.
            return .failure(single(settings.apiKeyFile ?? "[model]", "cannot read the API key file ([model] api_key_file)"))
        }
    }

    private static func failure(_ error: PromptError, promptsDir: String) -> RuleLoadFailure {
        switch error {
        case .invalid(let diagnostics):
            return RuleLoadFailure(items: diagnostics.map {
                .init(file: $0.file, line: $0.line, column: $0.column, message: "error: [\($0.code)] \($0.message)")
            })
        case .directory(let path, let message): return single(path, message)
        case .missingValues: return single(promptsDir, error.description)
        }
    }

    private static func single(_ file: String, _ message: String) -> RuleLoadFailure {
        RuleLoadFailure(items: [.init(file: file, line: 1, column: 1, message: message)])
    }
}
