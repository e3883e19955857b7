/// Keeps recursive descent within a fixed stack budget measured from where parsing started, so
/// deeply nested SQL stops with an error instead of overflowing the stack — whatever thread
/// the parser runs on (Swift concurrency's threads have small stacks).
public struct StackGuard {
    /// The default budget: safe on any thread, Swift concurrency's small stacks included.
    public static let defaultBudget = 192 * 1024

    /// The most stack bytes the parser may use below its entry point.
    let budget: UInt

    /// The stack position when parsing began.
    let start = StackGuard.here()

    init(budget: Int = StackGuard.defaultBudget) { self.budget = UInt(Swift.max(16 * 1024, budget)) }

    /// Whether the current frame lies beyond the budget.
    var isExhausted: Bool {
        let now = StackGuard.here()
        return now < start && start - now > budget
    }

    /// The current stack position (an address inside the caller's frame).
    @inline(never)
    static func here() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}
