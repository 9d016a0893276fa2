import Foundation

/// The state of one phone call as a value type: which events were seen, how many turns the
/// recognizer was unsure of, whether the call was handed over or ended. Events go in, a
/// `CallStep` comes out, and the service carries it out; no I/O here.
public struct CallSession: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case active, transferred, ended }

    /// Call policy, from the rule files' thresholds and the daemon's configuration.
    public struct Policy: Sendable, Equatable {
        /// `asr.min_confidence`: below it the caller is asked to repeat.
        public var asrMinConfidence: Double
        /// Unsure turns in a row before the call is handed to a person.
        public var maxLowConfidenceTurns: Int
        /// DTMF digits that ask for a person.
        public var transferDigits: Set<String>
        public var limits: CallLimits

        public init(asrMinConfidence: Double = 0.5, maxLowConfidenceTurns: Int = 2,
                    transferDigits: Set<String> = ["0"], limits: CallLimits = CallLimits()) {
            self.asrMinConfidence = asrMinConfidence; self.maxLowConfidenceTurns = maxLowConfidenceTurns
            self.transferDigits = transferDigits; self.limits = limits
        }
    }

    public private(set) var status: Status = .active
    public private(set) var startedAt: Date
    public private(set) var highestSeq = 0
    public private(set) var seen: Set<Int> = []
    public private(set) var lowConfidenceTurns = 0
    public private(set) var gaps: [ClosedRange<Int>] = []

    public init(startedAt: Date) { self.startedAt = startedAt }

    /// Feeds one event. Duplicates are recognised by `seq` so a retried post is idempotent.
    public mutating func receive(_ event: CallEvent, now: Date, policy: Policy) -> CallStep {
        if seen.contains(event.seq) { return .duplicate(seq: event.seq) }
        guard status == .active else { return .callOver(status) }
        guard seen.count < policy.limits.maxEventsPerCall else {
            return .rejected(CallEventError(code: "limit", message: "this call has reached \(policy.limits.maxEventsPerCall) events"))
        }
        guard now.timeIntervalSince(startedAt) <= policy.limits.maxCallSeconds else {
            status = .ended
            return .rejected(CallEventError(code: "limit", message: "this call is over its maximum duration"))
        }
        var gap: ClosedRange<Int>?
        if event.seq > highestSeq + 1 {
            gap = (highestSeq + 1)...(event.seq - 1)
            gaps.append(gap!)
        }
        // Partials are provisional: they are not marked seen, so the final of the same seq still counts.
        if event.kind != .partial { seen.insert(event.seq) }
        highestSeq = max(highestSeq, event.seq)
        return step(for: event, gap: gap, policy: policy)
    }

    private mutating func step(for event: CallEvent, gap: ClosedRange<Int>?, policy: Policy) -> CallStep {
        switch event.kind {
        case .partial:
            return .scanPartial(text: event.text ?? "")
        case .hangup:
            status = .ended
            return .hangup
        case .dtmf:
            guard let digits = event.digits, policy.transferDigits.contains(digits) else { return .ignoredDigits }
            status = .transferred
            return .transfer(reason: .keypad)
        case .final:
            if let c = event.asrConfidence, c < policy.asrMinConfidence {
                lowConfidenceTurns += 1
                if lowConfidenceTurns >= policy.maxLowConfidenceTurns {
                    status = .transferred
                    return .transfer(reason: .lowConfidence)
                }
                return .askRepeat(attempt: lowConfidenceTurns)
            }
            lowConfidenceTurns = 0
            return .decide(text: event.text ?? "", gap: gap)
        }
    }

    /// A call taken up again from what the store kept of it (after a restart, or after the call
    /// was forgotten for being idle): its status, when it started, and the highest sequence
    /// number decided. Events are not marked seen: a repeated final is decided again, and the
    /// store answers it from the recorded message.
    public init(resuming status: Status, startedAt: Date, highestSeq: Int) {
        self.status = status
        self.startedAt = startedAt
        self.highestSeq = highestSeq
    }

    /// Marks the call as handed over after a decision routed it to a person.
    public mutating func transferred() { if status == .active { status = .transferred } }
}

/// What the service must do with one call event.
public enum CallStep: Sendable, Equatable {
    /// A partial transcript: answer `listen` unless it already shows an emergency.
    case scanPartial(text: String)
    /// A final segment to decide like a chat message; `gap` names sequence numbers never received.
    case decide(text: String, gap: ClosedRange<Int>?)
    /// The recognizer was unsure: ask the caller to say it again.
    case askRepeat(attempt: Int)
    /// Hand the call to a person.
    case transfer(reason: TransferReason)
    /// Digits that mean nothing here.
    case ignoredDigits
    /// The caller hung up.
    case hangup
    /// An event already processed: answer as before.
    case duplicate(seq: Int)
    /// The call was already transferred or ended.
    case callOver(CallSession.Status)
    /// A limit refused the event.
    case rejected(CallEventError)
}

/// Why a call is handed over.
public enum TransferReason: String, Sendable, Equatable, Codable {
    case keypad, lowConfidence = "low_confidence", requested, escalated, emergency
}
