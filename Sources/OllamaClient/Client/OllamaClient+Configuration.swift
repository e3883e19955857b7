// Timeouts and the retry policy of an OllamaClient.

extension OllamaClient {
    /// Timeouts and retries.
    ///
    /// The timeouts are separate because a local model server has phases of very different length:
    /// connecting is instant or fails, the first byte can wait minutes while a model loads (and, with
    /// `stream: false`, for the whole generation), and a running stream delivers tokens every few
    /// milliseconds. There is no total timeout unless you set one.
    ///
    /// ```swift
    /// var configuration = OllamaClient.Configuration()
    /// configuration.firstByteTimeout = .seconds(30)
    /// let client = OllamaClient(configuration: configuration)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// Time to open the TCP connection.
        public var connectTimeout: Duration
        /// Time from sending a request to the first byte of the reply's body (model loading included).
        public var firstByteTimeout: Duration
        /// Longest pause between two pieces of a reply's body.
        public var idleTimeout: Duration
        /// Longest time for a whole call, retries included; `nil` for none.
        public var totalTimeout: Duration?
        /// Attempts per call, the first included. Only failures before any reply byte are retried:
        /// connection refused or reset, 503 busy, and 500 "loading model".
        public var maxAttempts: Int
        /// Delay before the first retry; it doubles for each further one, with ±50 % jitter.
        public var retryBaseDelay: Duration

        public init(
            connectTimeout: Duration = .seconds(5),
            firstByteTimeout: Duration = .seconds(600),
            idleTimeout: Duration = .seconds(120),
            totalTimeout: Duration? = nil,
            maxAttempts: Int = 3,
            retryBaseDelay: Duration = .milliseconds(200)
        ) {
            self.connectTimeout = connectTimeout
            self.firstByteTimeout = firstByteTimeout
            self.idleTimeout = idleTimeout
            self.totalTimeout = totalTimeout
            self.maxAttempts = maxAttempts
            self.retryBaseDelay = retryBaseDelay
        }

        /// The pause before retry number `retry` (1 for the first retry), jittered by `unit` in 0..<1.
        func backoff(beforeRetry retry: Int, unit: Double) -> Duration {
            let exponent = min(max(retry - 1, 0), 16)
            let scale = Double(1 << exponent) * (0.5 + unit)
            return retryBaseDelay * scale
        }
    }
}
