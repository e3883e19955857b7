// One NDJSON line of a streamed reply: a chunk, or the `{"error": …}` line Ollama sends instead.

/// A line of a generate or chat stream, checked for an `error` key before it is decoded as a chunk.
enum StreamLine<Chunk: Decodable>: Decodable {
    case chunk(Chunk)
    case error(String)

    private enum Keys: String, CodingKey { case error }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Keys.self),
            let message = try? container.decodeIfPresent(String.self, forKey: .error)
        {
            self = .error(message)
        } else {
            self = .chunk(try Chunk(from: decoder))
        }
    }
}

/// The body of a failed (non-2xx) response: `{"error": "…"}`.
struct ErrorBody: Decodable {
    var error: String
}
