// The timing and token counts on the final chunk of a generation.

/// Timings and token counts reported on the last chunk of a generate or chat stream.
///
/// Ollama omits fields that are zero, so every field is optional. Durations are in nanoseconds on the
/// wire; the `Duration` accessors convert them.
public struct GenerationMetrics: Sendable, Hashable, Codable {
    /// Wall time of the whole request, in nanoseconds (`total_duration`).
    public var totalDuration: Int64?
    /// Time spent loading the model, in nanoseconds (`load_duration`).
    public var loadDuration: Int64?
    /// Tokens in the prompt (`prompt_eval_count`).
    public var promptEvalCount: Int?
    /// Time spent reading the prompt, in nanoseconds (`prompt_eval_duration`).
    public var promptEvalDuration: Int64?
    /// Tokens generated (`eval_count`).
    public var evalCount: Int?
    /// Time spent generating, in nanoseconds (`eval_duration`).
    public var evalDuration: Int64?

    public init(
        totalDuration: Int64? = nil, loadDuration: Int64? = nil, promptEvalCount: Int? = nil,
        promptEvalDuration: Int64? = nil, evalCount: Int? = nil, evalDuration: Int64? = nil
    ) {
        self.totalDuration = totalDuration
        self.loadDuration = loadDuration
        self.promptEvalCount = promptEvalCount
        self.promptEvalDuration = promptEvalDuration
        self.evalCount = evalCount
        self.evalDuration = evalDuration
    }

    enum CodingKeys: String, CodingKey {
        case totalDuration = "total_duration"
        case loadDuration = "load_duration"
        case promptEvalCount = "prompt_eval_count"
        case promptEvalDuration = "prompt_eval_duration"
        case evalCount = "eval_count"
        case evalDuration = "eval_duration"
    }

    /// Generated tokens per second (`eval_count / eval_duration`), when both are known.
    public var tokensPerSecond: Double? {
        guard let evalCount, let evalDuration, evalDuration > 0 else { return nil }
        return Double(evalCount) / Double(evalDuration) * 1e9
    }

    /// ``totalDuration`` as a `Duration`.
    public var total: Duration? { totalDuration.map { .nanoseconds($0) } }
    /// ``loadDuration`` as a `Duration`.
    public var load: Duration? { loadDuration.map { .nanoseconds($0) } }

    /// True when the server reported none of the fields (every chunk but the last).
    var isEmpty: Bool { self == GenerationMetrics() }
}
