// The client's own read timeouts: time to first byte, idle time between chunks, and an overall deadline.
//
// AsyncHTTPClient's deadline ends when the response head arrives, and its read timeout cannot tell a model
// that is loading from a stalled stream. So every attempt runs next to a watchdog task that sleeps until the
// current deadline and throws when it passes; the request side moves the deadline forward on every chunk.

import Synchronization

/// Deadlines of one HTTP attempt, advanced by the task reading the response.
final class RequestWatchdog: Sendable {
    private struct State {
        var phase: OllamaError.TimeoutPhase
        var deadline: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let firstByteTimeout: Duration
    private let idleTimeout: Duration
    private let totalDeadline: ContinuousClock.Instant?
    private let totalTimeout: Duration?

    init(firstByteTimeout: Duration, idleTimeout: Duration, totalTimeout: Duration?, totalDeadline: ContinuousClock.Instant?) {
        self.firstByteTimeout = firstByteTimeout
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
        self.totalDeadline = totalDeadline
        state = Mutex(State(phase: .firstByte, deadline: ContinuousClock.now + firstByteTimeout))
    }

    /// Call for every piece of body received: the next one must come within the idle timeout.
    func receivedBytes() {
        let next = ContinuousClock.now + idleTimeout
        state.withLock { state in
            state.phase = .idle
            state.deadline = next
        }
    }

    /// The phase whose deadline comes first, and that deadline.
    private func current() -> (phase: OllamaError.TimeoutPhase, deadline: ContinuousClock.Instant, limit: Duration) {
        let (phase, deadline) = state.withLock { ($0.phase, $0.deadline) }
        if let totalDeadline, let totalTimeout, totalDeadline <= deadline {
            return (.total, totalDeadline, totalTimeout)
        }
        return (phase, deadline, phase == .firstByte ? firstByteTimeout : idleTimeout)
    }

    /// Sleeps until a deadline passes, then throws the timeout it belongs to. Ends with
    /// `CancellationError` when the attempt finishes first and cancels it.
    func run(makeError: @Sendable (OllamaError.TimeoutPhase, Duration) -> OllamaError) async throws {
        while true {
            let (phase, deadline, limit) = current()
            let now = ContinuousClock.now
            if now >= deadline {
                throw makeError(phase, limit)
            }
            // The first chunk can move the deadline earlier (an idle timeout shorter than the first-byte
            // one). Any idle deadline set later is at least `idleTimeout` after this moment, so waking by
            // then is never late.
            try await Task.sleep(until: min(deadline, now + idleTimeout), clock: .continuous)
        }
    }
}
