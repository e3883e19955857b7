// `options`: Modelfile parameters sent with a request.

/// Model parameters for one request (`options`), in the units Ollama expects.
///
/// Every field is optional; `nil` fields are omitted so the model's Modelfile value applies. Options
/// not modelled here go in ``additional`` under their Ollama name.
///
/// ```swift
/// let options = ModelOptions(temperature: 0, seed: 42, numCtx: 8192)
/// // encodes as {"num_ctx":8192,"seed":42,"temperature":0}
/// ```
///
/// `numCtx` is a load-time option: changing it makes the server reload the model.
public struct ModelOptions: Sendable, Hashable {
    /// Sampling temperature; 0 makes a generation (with a fixed seed) reproducible.
    public var temperature: Double?
    /// Random seed for sampling.
    public var seed: Int?
    /// Context window in tokens (`num_ctx`).
    public var numCtx: Int?
    /// Top-k sampling (`top_k`).
    public var topK: Int?
    /// Nucleus sampling (`top_p`).
    public var topP: Double?
    /// Maximum tokens to generate (`num_predict`); -1 means no limit.
    public var numPredict: Int?
    /// Stop sequences.
    public var stop: [String]?
    /// Further options by their Ollama name, e.g. `["repeat_penalty": 1.1]`. Modelled fields win on conflict.
    public var additional: [String: JSONValue]

    public init(
        temperature: Double? = nil,
        seed: Int? = nil,
        numCtx: Int? = nil,
        topK: Int? = nil,
        topP: Double? = nil,
        numPredict: Int? = nil,
        stop: [String]? = nil,
        additional: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.seed = seed
        self.numCtx = numCtx
        self.topK = topK
        self.topP = topP
        self.numPredict = numPredict
        self.stop = stop
        self.additional = additional
    }
}

extension ModelOptions: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let modelledKeys: Set<String> = [
        "temperature", "seed", "num_ctx", "top_k", "top_p", "num_predict", "stop",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        temperature = try container.decodeIfPresent(Double.self, forKey: Key("temperature"))
        seed = try container.decodeIfPresent(Int.self, forKey: Key("seed"))
        numCtx = try container.decodeIfPresent(Int.self, forKey: Key("num_ctx"))
        topK = try container.decodeIfPresent(Int.self, forKey: Key("top_k"))
        topP = try container.decodeIfPresent(Double.self, forKey: Key("top_p"))
        numPredict = try container.decodeIfPresent(Int.self, forKey: Key("num_predict"))
        stop = try container.decodeIfPresent([String].self, forKey: Key("stop"))
        var additional: [String: JSONValue] = [:]
        for key in container.allKeys where !Self.modelledKeys.contains(key.stringValue) {
            additional[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.additional = additional
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in additional where !Self.modelledKeys.contains(name) {
            try container.encode(value, forKey: Key(name))
        }
        try container.encodeIfPresent(temperature, forKey: Key("temperature"))
        try container.encodeIfPresent(seed, forKey: Key("seed"))
        try container.encodeIfPresent(numCtx, forKey: Key("num_ctx"))
        try container.encodeIfPresent(topK, forKey: Key("top_k"))
        try container.encodeIfPresent(topP, forKey: Key("top_p"))
        try container.encodeIfPresent(numPredict, forKey: Key("num_predict"))
        try container.encodeIfPresent(stop, forKey: Key("stop"))
    }
}
