import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession delegate that collects each call's body up to a byte limit and ends each call
/// exactly once (response, error, size limit or deadline, whichever is first).
final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: `calls` is guarded by `lock`; `maxBytes` is immutable.
    private struct Call {
        var finish: @Sendable (ModelOutcome) -> Void
        var status = 0
        var body = Data()
    }

    private let maxBytes: Int
    private let lock = NSLock()
    private var calls: [Int: Call] = [:]

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    func register(task: URLSessionTask, finish: @escaping @Sendable (ModelOutcome) -> Void) {
        lock.withLock { calls[task.taskIdentifier] = Call(finish: finish) }
    }

    /// Ends the call with `outcome` unless it already ended. Returns whether this ended it.
    @discardableResult
    func finish(taskID: Int, _ outcome: ModelOutcome) -> Bool {
        guard let call = lock.withLock({ calls.removeValue(forKey: taskID) }) else { return false }
        call.finish(outcome)
        return true
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        lock.withLock { calls[dataTask.taskIdentifier]?.status = status }
        if response.expectedContentLength > Int64(maxBytes) {
            finish(taskID: dataTask.taskIdentifier, .failed("response_too_large"))
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge: Bool = lock.withLock {
            guard calls[dataTask.taskIdentifier] != nil else { return false }
            calls[dataTask.taskIdentifier]!.body.append(data)
            return calls[dataTask.taskIdentifier]!.body.count > maxBytes
        }
        if tooLarge {
            // The call ends here; what else arrives finds no call and is dropped (no cancel: see ModelClient).
            finish(taskID: dataTask.taskIdentifier, .failed("response_too_large"))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let call = lock.withLock({ calls[task.taskIdentifier] }) else { return }
        let outcome: ModelOutcome
        if error != nil {
            outcome = .failed("transport")
        } else if !(200..<300).contains(call.status) {
            outcome = .failed("http_\(call.status)")
        } else {
            switch AnswerSchema.parse(responseBody: call.body) {
            case .success(let answer): outcome = .answer(answer)
            case .failure(let why): outcome = .failed(why.rawValue)
            }
        }
        finish(taskID: task.taskIdentifier, outcome)
    }
}
