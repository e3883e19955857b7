import ColumnarCore

/// Any aggregate over window frames (bool_and, string_agg, the statistics, …): each distinct
/// frame's rows, in window order, are aggregated as a group by ``GroupAggregation``.
///
/// Consecutive rows with the same frame (a whole partition, or peers) share one computation.
/// Frames that move cost O(frame) each, so running frames cost O(*n*²) per partition: the price
/// of generality, paid only by the aggregates ``WindowAggregates`` has no fast path for.
enum WindowFrameAggregation {
    /// Frames are aggregated in batches of about this many rows, to bound the row lists held.
    static let batchRows = 1 << 20

    static func compute(_ window: BoundWindow, _ function: BoundAggregate.Function, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let n = layout.count
        guard n > 0 else { return try Column.nulls(window.type, count: 0) }
        var aggregate = BoundAggregate(function: function, arguments: window.arguments, distinct: window.distinct, type: window.type)
        aggregate.separator = window.separator
        let arguments = try window.arguments.map { try $0.evaluate(batch) }
        var filterMask: BooleanColumn?
        if let filter = window.filter, case .boolean(let mask) = try filter.evaluate(batch) { filterMask = mask }
        let (starts, ends) = try layout.frames(window.frame, batch)

        var frameOfRow = [UInt32](repeating: 0, count: n)
        var pieces: [Column] = []
        var pending: [[UInt32]] = []
        var pendingRows = 0
        var frameCount: UInt32 = 0
        for i in 0..<n {
            if i > 0 && starts[i] == starts[i - 1] && ends[i] == ends[i - 1] {
                frameOfRow[layout.order[i]] = frameCount - 1
                continue
            }
            var rows: [UInt32] = []
            if starts[i] < ends[i] {
                rows.reserveCapacity(ends[i] - starts[i])
                for position in starts[i]..<ends[i] {
                    let row = layout.order[position]
                    if let filterMask, filterMask[row] != true { continue }
                    rows.append(UInt32(row))
                }
            }
            pendingRows += rows.count
            pending.append(rows)
            frameOfRow[layout.order[i]] = frameCount
            frameCount += 1
            if pendingRows >= batchRows {
                pieces.append(try GroupAggregation.column(aggregate, arguments, groups: pending))
                pending = []
                pendingRows = 0
            }
        }
        if !pending.isEmpty { pieces.append(try GroupAggregation.column(aggregate, arguments, groups: pending)) }
        let results = pieces.count == 1 ? pieces[0] : try Kernels.concatenate(pieces)
        return try Kernels.take(results, SelectionVector(frameOfRow))
    }
}
