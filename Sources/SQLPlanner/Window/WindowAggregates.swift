import ColumnarCore

/// Aggregates over window frames, on typed arrays in sorted-position order.
///
/// - count and the sums of integers and decimals use prefix sums (exact in `Int128`): O(1)
///   per frame, any frame.
/// - sums and averages of floating-point values add values as frames grow from a fixed start
///   (running totals, whole partitions) and add a frame afresh otherwise, so that results are
///   those of adding the frame's values in order (no subtraction rounding).
/// - min and max rank the argument's values once (a dense rank per row, by the sort kernel) and
///   slide a monotonic deque of positions over the frames (O(*n*), since frame bounds never
///   move backwards within a partition); the winning row is then taken from the argument.
enum WindowAggregates {
    static func compute(_ window: BoundWindow, _ function: BoundAggregate.Function, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let fastPaths: [BoundAggregate.Function] = [.countStar, .count, .sum, .avg, .min, .max]
        if window.distinct || !fastPaths.contains(function) { return try WindowFrameAggregation.compute(window, function, layout, batch) }
        let n = layout.count
        let argument = try window.arguments.first.map { try $0.evaluate(batch) }
        // Which sorted positions take part: argument not NULL and the FILTER true.
        var included = [Bool](repeating: true, count: n)
        var filterMask: BooleanColumn?
        if let filter = window.filter, case .boolean(let mask) = try filter.evaluate(batch) { filterMask = mask }
        for i in 0..<n {
            let row = layout.order[i]
            if let argument, argument.isNull(row) { included[i] = false }
            if let filterMask, filterMask[row] != true { included[i] = false }
        }
        let (starts, ends) = try layout.frames(window.frame, batch)
        switch function {
        case .countStar, .count:
            let prefix = prefixCounts(included)
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n { out[layout.order[i]] = Int64(ends[i] > starts[i] ? prefix[ends[i]] - prefix[starts[i]] : 0) }
            return .int64(PrimitiveColumn(out))
        case .sum, .avg:
            guard let argument else { throw SQLError(.internalError, "\(window.name) without an argument") }
            if argument.dataType.isFloatingPoint {
                return try floatingSum(argument, average: function == .avg, included, starts, ends, layout)
            }
            return try exactSum(argument, average: function == .avg, included, starts, ends, layout)
        case .min, .max:
            guard let argument else { throw SQLError(.internalError, "\(window.name) without an argument") }
            return try extreme(argument, wantMax: function == .max, included, starts, ends, layout)
        default:
            throw SQLError(.internalError, "\(function.rawValue) has no window fast path")
        }
    }

    static func prefixCounts(_ included: [Bool]) -> [Int] {
        var prefix = [Int](repeating: 0, count: included.count + 1)
        for i in 0..<included.count { prefix[i + 1] = prefix[i] + (included[i] ? 1 : 0) }
        return prefix
    }

    /// Sums (DECIMAL(38, s)) and averages (DOUBLE) of integers and decimals, by prefix sums.
    static func exactSum(_ argument: Column, average: Bool, _ included: [Bool], _ starts: [Int], _ ends: [Int], _ layout: WindowLayout) throws -> Column {
        let n = layout.count
        var scale = 0
        let wide: PrimitiveColumn<Int128>
        if case .decimal128(let c, _, let s) = argument {
            wide = c
            scale = s
        } else if argument.dataType.isInteger, argument.dataType != .uint64, case .int64(let c) = try Kernels.cast(argument, to: .int64) {
            wide = PrimitiveColumn(values: ValueBuffer(c.values.map { Int128($0) }), validity: c.validity)
        } else if case .decimal128(let c, _, let s) = try Kernels.cast(argument, to: .decimal128(precision: 38, scale: argument.dataType == .uint64 ? 0 : 0)) {
            wide = c
            scale = s
        } else {
            throw SQLError(.unsupported, "sum over a window of \(argument.dataType) is not supported")
        }
        var prefix = [Int128](repeating: 0, count: n + 1)
        var counts = [Int](repeating: 0, count: n + 1)
        var overflow = false
        wide.values.withUnsafeBufferPointer { v in
            for i in 0..<n {
                let add = included[i] ? v[layout.order[i]] : 0
                let (s, o) = prefix[i].addingReportingOverflow(add)
                prefix[i + 1] = s
                overflow = overflow || o
                counts[i + 1] = counts[i] + (included[i] ? 1 : 0)
            }
        }
        if overflow { throw SQLError(.runtime, "overflow: a window sum exceeds 128 bits") }
        let limit = Int128(10).power(38)
        var present = [Bool](repeating: false, count: n)
        if average {
            let divisor = _double(Int128(10).power(scale))
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n where ends[i] > starts[i] {
                let c = counts[ends[i]] - counts[starts[i]]
                guard c > 0 else { continue }
                let total = prefix[ends[i]] - prefix[starts[i]]
                let row = layout.order[i]
                // Exact integer part plus remainder; 128-bit division only when 64 bits do not do.
                let high = total >> 63
                if high == 0 || high == -1 {
                    let narrow = Int64(truncatingIfNeeded: total)
                    let k = Int64(c)
                    out[row] = (Double(narrow / k) + Double(narrow % k) / Double(c)) / divisor
                } else {
                    let k = Int128(c)
                    out[row] = (_double(total / k) + _double(total % k) / Double(c)) / divisor
                }
                present[row] = true
            }
            return .float64(PrimitiveColumn(values: ValueBuffer(out), validity: Bitmap(present)))
        }
        var out = [Int128](repeating: 0, count: n)
        for i in 0..<n where ends[i] > starts[i] {
            guard counts[ends[i]] - counts[starts[i]] > 0 else { continue }
            let total = prefix[ends[i]] - prefix[starts[i]]
            guard total < limit && total > -limit else { throw SQLError(.runtime, "overflow: a window sum exceeds 38 digits") }
            out[layout.order[i]] = total
            present[layout.order[i]] = true
        }
        return .decimal128(PrimitiveColumn(values: ValueBuffer(out), validity: Bitmap(present)), precision: 38, scale: scale)
    }

    /// Sums and averages of DOUBLE/REAL values: frames that keep their start and grow are
    /// extended; any other frame is added up afresh. When every frame ends at its partition's
    /// end, the positions are walked backwards so that shrinking frames become growing ones.
    static func floatingSum(_ argument: Column, average: Bool, _ included: [Bool], _ starts: [Int], _ ends: [Int], _ layout: WindowLayout) throws -> Column {
        let n = layout.count
        guard let doubles = try Kernels.cast(argument, to: .float64).primitive(as: Double.self) else {
            throw SQLError(.internalError, "sum argument did not become DOUBLE")
        }
        let values = doubles.values.withUnsafeBufferPointer { v in (0..<n).map { v[layout.order[$0]] } }
        let backwards = n > 0 && (0..<n).allSatisfy { ends[$0] == layout.partitionEnd[$0] } && !(0..<n).allSatisfy { starts[$0] == layout.partitionStart[$0] }
        var out = [Double](repeating: 0, count: n)
        var present = [Bool](repeating: false, count: n)
        var sum = 0.0, count = 0
        var low = 0, high = 0  // the positions summed: [low, high)
        for step in 0..<n {
            let i = backwards ? n - 1 - step : step
            let start = starts[i], end = Swift.max(ends[i], starts[i])
            if !backwards && start == low && end >= high && step > 0 {
                for j in high..<end where included[j] { sum += values[j]; count += 1 }
            } else if backwards && end == high && start <= low && step > 0 {
                for j in (start..<low).reversed() where included[j] { sum += values[j]; count += 1 }
            } else {
                sum = 0
                count = 0
                if backwards {
                    for j in (start..<end).reversed() where included[j] { sum += values[j]; count += 1 }
                } else {
                    for j in start..<end where included[j] { sum += values[j]; count += 1 }
                }
            }
            low = start
            high = end
            guard count > 0 else { continue }
            let row = layout.order[i]
            out[row] = average ? sum / Double(count) : sum
            present[row] = true
        }
        return .float64(PrimitiveColumn(values: ValueBuffer(out), validity: Bitmap(present)))
    }

    /// min / max: the best position of each frame by a monotonic deque over value ranks.
    static func extreme(_ argument: Column, wantMax: Bool, _ included: [Bool], _ starts: [Int], _ ends: [Int], _ layout: WindowLayout) throws -> Column {
        let n = layout.count
        let ranks = try denseRanks(argument)
        // Sorted position → rank, flipped for max so that smaller is always better.
        let keys: [UInt32] = (0..<n).map { wantMax ? ~ranks[layout.order[$0]] : ranks[layout.order[$0]] }
        var source = [UInt32](repeating: UInt32(n), count: n)
        var deque = [Int](repeating: 0, count: n)
        var head = 0, tail = 0
        var added = 0
        var previousStart = 0, previousEnd = 0
        for i in 0..<n {
            let start = starts[i], end = ends[i]
            // Bounds move forward within a partition; anything else starts the deque afresh.
            if start < previousStart || end < previousEnd || layout.partitionStart[i] == i {
                head = 0
                tail = 0
                added = start
            }
            if added < start { added = start }
            while added < end {
                if included[added] {
                    while tail > head && keys[deque[tail - 1]] > keys[added] { tail -= 1 }
                    deque[tail] = added
                    tail += 1
                }
                added += 1
            }
            while head < tail && deque[head] < start { head += 1 }
            previousStart = start
            previousEnd = end
            if head < tail && start < end { source[layout.order[i]] = UInt32(layout.order[deque[head]]) }
        }
        let padded = try Kernels.concatenate([argument, try Column.nulls(argument.dataType, count: 1)])
        return try Kernels.take(padded, SelectionVector(source))
    }

    /// Per row, the rank of its value among the distinct values (equal values share a rank).
    static func denseRanks(_ column: Column) throws -> [UInt32] {
        let n = column.count
        guard n > 0 else { return [] }
        let order = try Kernels.sortIndices(column)
        let ids = try Kernels.groupIDs([column]).ids
        var ranks = [UInt32](repeating: 0, count: n)
        var rank: UInt32 = 0
        for k in 0..<n {
            let row = Int(order[k])
            if k > 0 && ids[row] != ids[Int(order[k - 1])] { rank += 1 }
            ranks[row] = rank
        }
        return ranks
    }
}

/// `Int128` to `Double` without the generic conversion's cost (two roundings at most).
@inline(__always) func _double(_ x: Int128) -> Double {
    Double(Int64(truncatingIfNeeded: x >> 64)) * 18446744073709551616.0 + Double(UInt64(truncatingIfNeeded: x))
}
