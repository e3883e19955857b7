// `keep_alive`: how long the server keeps a model in memory after a request.

/// How long the Ollama server keeps the model loaded after a request (`keep_alive`).
///
/// Leave a request's `keepAlive` `nil` to get the server default (5 minutes, or `OLLAMA_KEEP_ALIVE`).
/// The server accepts a number of seconds or a Go duration string; a negative value keeps the model
/// loaded until the server stops, and zero unloads it as soon as the request ends.
///
/// ```swift
/// request.keepAlive = .forever            // "keep_alive": -1, for batch jobs
/// request.keepAlive = .seconds(600)       // "keep_alive": 600
/// request.keepAlive = .durationString("10m")
/// ```
public enum KeepAlive: Sendable, Hashable {
    /// Keep the model loaded for this many seconds; encoded as a JSON number.
    case seconds(Int)
    /// A Go duration such as `"10m"`, `"1h30m"` or `"-1m"`, passed through as a JSON string.
    case durationString(String)
    /// Keep the model loaded until the server stops; encoded as `-1`.
    case forever
    /// Unload the model right after this request; encoded as `0`.
    case unloadNow

    /// A keep-alive of `duration`, rounded down to whole seconds (at least one second when positive).
    public init(_ duration: Duration) {
        let seconds = Int(duration.components.seconds)
        if duration < .zero {
            self = .forever
        } else if seconds == 0 && duration > .zero {
            self = .seconds(1)
        } else {
            self = seconds == 0 ? .unloadNow : .seconds(seconds)
        }
    }
}

extension KeepAlive: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            if number < 0 {
                self = .forever
            } else if number == 0 {
                self = .unloadNow
            } else {
                self = .seconds(Int(number))
            }
        } else {
            self = .durationString(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .seconds(let seconds): try container.encode(seconds)
        case .durationString(let text): try container.encode(text)
        case .forever: try container.encode(-1)
        case .unloadNow: try container.encode(0)
        }
    }
}
