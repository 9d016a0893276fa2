import IntakeCore

/// Whether the model takes part in decisions.
public enum ModelMode: String, Sendable, CaseIterable {
    /// Never called.
    case off
    /// Called and recorded, never used: for comparing before trusting it.
    case shadow
    /// Called, and its answer used within the safety floor.
    case on
}

/// The thresholds that decide when to consult the model, from rule files
/// (`threshold model.consult_below = 0.75`, `threshold ambiguity.margin = 0.15`) and the floor's
/// own (`threshold model.min_confidence = 0.60`).
public struct ModelThresholds: Sendable, Equatable {
    /// Consult when the rules' confidence is below this.
    public var consultBelow: Double
    /// Consult when the rules' top two intents are closer than this.
    public var ambiguityMargin: Double
    /// The floor acts on a model answer only at or above this confidence.
    public var minModelConfidence: Double

    public init(consultBelow: Double = 0.75, ambiguityMargin: Double = 0.15, minModelConfidence: Double = 0.60) {
        self.consultBelow = consultBelow; self.ambiguityMargin = ambiguityMargin
        self.minModelConfidence = minModelConfidence
    }

    /// Reads `model.consult_below`, `ambiguity.margin` and `model.min_confidence` from the rule
    /// files' thresholds, keeping the defaults for names that are absent.
    public init(thresholds: [String: Double]) {
        let d = ModelThresholds()
        self.init(consultBelow: thresholds["model.consult_below"] ?? d.consultBelow,
                  ambiguityMargin: thresholds["ambiguity.margin"] ?? d.ambiguityMargin,
                  minModelConfidence: thresholds["model.min_confidence"] ?? d.minModelConfidence)
    }
}

/// Decides, from the rules' classification alone, whether to consult the model. Pure.
public struct ConsultPolicy: Sendable, Equatable {
    /// Why the model is consulted.
    public enum Reason: String, Sendable {
        case lowConfidence = "low_confidence"
        case ambiguous
    }

    /// When to consult.
    public var thresholds: ModelThresholds
    /// Off, shadow or on; off never consults.
    public var mode: ModelMode

    public init(thresholds: ModelThresholds, mode: ModelMode) {
        self.thresholds = thresholds; self.mode = mode
    }

    /// The reason to consult the model about `rules`, or nil to decide on the rules alone.
    /// Emergencies and crises found by rules are never held up waiting for a model: nothing
    /// it could say would change them.
    public func consult(_ rules: Classification) -> Reason? {
        guard mode != .off else { return nil }
        if rules.route == .emergency || SafetyFloor.isEmergency(rules.intent) { return nil }
        if rules.confidence < thresholds.consultBelow { return .lowConfidence }
        if let second = rules.runnerUp, rules.confidence - second.confidence < thresholds.ambiguityMargin {
            return .ambiguous
        }
        return nil
    }
}
