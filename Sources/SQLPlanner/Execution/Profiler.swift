import ColumnarCore
import Dispatch

/// What EXPLAIN ANALYZE reports: for each operator run, its rows and time (including its
/// inputs'), as a tree in the order the operators ran. Operators fused into one pipeline (a
/// scan with its filters and projections) report together.
final class Profiler: @unchecked Sendable {
    final class Frame {
        var label: String
        var rows = 0
        var nanoseconds: UInt64 = 0
        var children: [Frame] = []
        init(_ label: String) { self.label = label }
    }

    let root = Frame("query")
    private var stack: [Frame] = []

    init() { stack = [root] }

    func measure<R>(_ label: String, rows: (R) -> Int, _ body: () throws -> R) rethrows -> R {
        let frame = Frame(label)
        stack.last!.children.append(frame)
        stack.append(frame)
        defer { stack.removeLast() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        frame.nanoseconds = DispatchTime.now().uptimeNanoseconds - start
        frame.rows = rows(result)
        return result
    }

    /// One line per operator, indented by depth.
    func lines() -> [String] {
        var out: [String] = []
        func walk(_ frame: Frame, _ indent: String) {
            for child in frame.children {
                out.append(indent + child.label + "  [rows: \(child.rows), time: " + String(Double(child.nanoseconds / 10_000) / 100) + " ms]")
                walk(child, indent + "  ")
            }
        }
        walk(root, "")
        return out
    }
}

extension Executor {
    @TaskLocal static var profiler: Profiler?

    /// Runs the (optimized) plan with every operator measured.
    static func analyze(_ plan: LogicalPlan) throws(SQLError) -> (RecordBatch, Profiler) {
        let profiler = Profiler()
        let result: Result<RecordBatch, SQLError> = $profiler.withValue(profiler) {
            do throws(SQLError) {
                return .success(try run(plan, optimize: false))
            } catch {
                return .failure(error)
            }
        }
        return (try result.get(), profiler)
    }
}
