// `format`: constrained (structured) output for generate and chat.

/// Constrains a generation to JSON (`"format": "json"`) or to a JSON Schema (`"format": {…}`).
///
/// The reply is still text: decode `GenerateResult.text` or `ChatResult.message.content` yourself, and
/// expect that to fail when the generation stopped early (`doneReason == "length"`).
///
/// ```swift
/// request.format = .schema(["type": "object", "properties": ["age": ["type": "integer"]]])
/// ```
public enum ResponseFormat: Sendable, Hashable {
    /// Any valid JSON.
    case json
    /// JSON valid against this JSON Schema.
    case schema(JSONValue)
}

extension ResponseFormat: Codable {
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        if value == .string("json") {
            self = .json
        } else {
            self = .schema(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .json:
            var container = encoder.singleValueContainer()
            try container.encode("json")
        case .schema(let schema):
            try schema.encode(to: encoder)
        }
    }
}
