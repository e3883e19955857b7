import Foundation

/// Runs CPU-bound work on a thread of its own and awaits it.
///
/// Swift Testing runs tests as tasks on the cooperative pool, which has one thread per core (two on
/// CI). A synchronous test that computes for seconds holds one of them, and the timers of the
/// timing-sensitive tests (Ollama timeouts, cancellation) cannot fire until it ends.
public func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
