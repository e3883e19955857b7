// OLLAMA_HOST: where the server is, read the way the `ollama` command reads it.

import Foundation

extension OllamaClient {
    /// The base URL from the `OLLAMA_HOST` environment variable, or `http://127.0.0.1:11434`.
    ///
    /// See ``baseURL(fromHostEnvironment:)`` for the accepted forms.
    public static var defaultBaseURL: URL {
        baseURL(fromHostEnvironment: ProcessInfo.processInfo.environment["OLLAMA_HOST"])
    }

    /// Parses an `OLLAMA_HOST` value the way Ollama's own client does.
    ///
    /// - `nil` or empty: `http://127.0.0.1:11434`.
    /// - `host`, `host:port`, `:port`, `[v6addr]:port`; a missing port is 11434.
    /// - `http://host[:port][/path]` and `https://…`; with a scheme, a missing port is that scheme's
    ///   default (80 or 443), as in Ollama.
    /// - The wildcard addresses `0.0.0.0` and `::`, which a server binds to, become `127.0.0.1` (a
    ///   client cannot connect to them).
    /// - A value that cannot be parsed (a bad port, an unknown scheme) gives the default.
    ///
    /// ```swift
    /// OllamaClient.baseURL(fromHostEnvironment: "0.0.0.0:8080")   // http://127.0.0.1:8080
    /// ```
    public static func baseURL(fromHostEnvironment value: String?) -> URL {
        let fallback = URL(string: "http://127.0.0.1:11434")!
        var text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        guard !text.isEmpty else { return fallback }

        var scheme = "http"
        var defaultPort = 11434
        if let range = text.range(of: "://") {
            scheme = text[..<range.lowerBound].lowercased()
            text = String(text[range.upperBound...])
            switch scheme {
            case "http": defaultPort = 80
            case "https": defaultPort = 443
            default: return fallback
            }
        }

        var path = ""
        if let slash = text.firstIndex(of: "/") {
            path = String(text[slash...])
            text = String(text[..<slash])
            while path.hasSuffix("/") { path.removeLast() }
        }

        guard let (rawHost, rawPort) = splitHostPort(text) else { return fallback }
        let port: Int
        if let rawPort {
            guard let parsed = Int(rawPort), (0...65535).contains(parsed) else { return fallback }
            port = parsed
        } else {
            port = defaultPort
        }

        var host = rawHost
        if host.isEmpty || host == "0.0.0.0" || host == "::" || host == "::0" {
            host = "127.0.0.1"
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return URL(string: "\(scheme)://\(hostPart):\(port)\(path)") ?? fallback
    }

    /// Splits `host:port`, `[v6]:port`, `[v6]`, `host` or a bare IPv6 address. `nil` when malformed.
    private static func splitHostPort(_ text: String) -> (host: String, port: String?)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":") else { return nil }
            return (host, String(rest.dropFirst()))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 0 { return (text, nil) }
        if colons > 1 { return (text, nil) }  // an IPv6 address without brackets or port
        let colon = text.firstIndex(of: ":")!
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
