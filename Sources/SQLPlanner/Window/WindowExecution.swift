import ColumnarCore

extension Executor {
    /// The input's rows with one column per window function appended (rows keep their order).
    ///
    /// Calls with the same PARTITION BY and ORDER BY share one ``WindowLayout`` (one sort).
    /// Ranking functions fill typed arrays; value functions (lag, lead, first/last/nth_value)
    /// compute the source row of every output row and take them in one kernel call; aggregates
    /// run over frames as ``WindowAggregates`` describes.
    static func window(_ batch: RecordBatch, _ windows: [BoundWindow], schema: Schema) throws -> RecordBatch {
        var layouts: [String: WindowLayout] = [:]
        var columns = batch.columns
        for window in windows {
            let layout: WindowLayout
            if let cached = layouts[window.layoutKey] {
                layout = cached
            } else {
                layout = try WindowLayout(batch, partitionBy: window.partitionBy, orderBy: window.orderBy)
                layouts[window.layoutKey] = layout
            }
            var column = try evaluateWindow(window, layout, batch)
            if column.dataType != window.type { column = try Kernels.cast(column, to: window.type) }
            columns.append(column)
        }
        let fields = zip(schema.fields, columns).map { Field($0.name, $1.dataType, nullable: true, metadata: $0.metadata) }
        return try RecordBatch(schema: Schema(fields, metadata: schema.metadata), columns: columns, count: batch.count)
    }

    static func evaluateWindow(_ window: BoundWindow, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let n = layout.count
        switch window.function {
        case .rowNumber, .rank, .denseRank:
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                let ps = layout.partitionStart[i]
                let value: Int
                switch window.function {
                case .rowNumber: value = i - ps + 1
                case .rank: value = layout.peers(i).lowerBound - ps + 1
                default: value = layout.peerGroup[i] - layout.peerGroup[ps] + 1
                }
                out[layout.order[i]] = Int64(value)
            }
            return .int64(PrimitiveColumn(out))
        case .percentRank, .cumeDist:
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let ps = layout.partitionStart[i]
                let size = layout.partitionEnd[i] - ps
                if window.function == .percentRank {
                    out[layout.order[i]] = size > 1 ? Double(layout.peers(i).lowerBound - ps) / Double(size - 1) : 0
                } else {
                    out[layout.order[i]] = Double(layout.peers(i).upperBound - ps) / Double(size)
                }
            }
            return .float64(PrimitiveColumn(out))
        case .ntile:
            return try ntile(window, layout, batch)
        case .lag, .lead:
            return try lagLead(window, layout, batch)
        case .firstValue, .lastValue, .nthValue:
            return try frameValue(window, layout, batch)
        case .aggregate(let function):
            return try WindowAggregates.compute(window, function, layout, batch)
        }
    }

    /// `ntile(k)`: the partition split into k buckets as evenly as possible, the first
    /// `size % k` buckets one row larger (PostgreSQL's distribution).
    static func ntile(_ window: BoundWindow, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let n = layout.count
        let buckets = try integers(window.arguments[0], batch)
        var out = [Int64](repeating: 0, count: n)
        var valid = [Bool](repeating: true, count: n)
        for i in 0..<n {
            let row = layout.order[i]
            guard let k = buckets[row] else { valid[row] = false; continue }
            guard k > 0 else { throw SQLError(.runtime, "ntile's argument must be greater than zero, found \(k)") }
            let size = Int64(layout.partitionEnd[i] - layout.partitionStart[i])
            let position = Int64(i - layout.partitionStart[i])
            let small = size / k, large = small + 1
            let largeBuckets = size % k
            let inLarge = largeBuckets * large
            out[row] = position < inLarge ? position / large + 1 : largeBuckets + (position - inLarge) / Swift.max(small, 1) + 1
        }
        return .int64(PrimitiveColumn(values: ValueBuffer(out), validity: valid.contains(false) ? Bitmap(valid) : nil))
    }

    /// `lag(x, offset, default)` / `lead(…)`: x of the row `offset` rows before (after) in the
    /// partition, else the default evaluated at the current row (NULL without one).
    static func lagLead(_ window: BoundWindow, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let n = layout.count
        let value = try window.arguments[0].evaluate(batch)
        let offsets: [Int64?] = window.arguments.count > 1 ? try integers(window.arguments[1], batch) : [Int64?](repeating: 1, count: n)
        let fallback = window.arguments.count > 2 ? try window.arguments[2].evaluate(batch) : try Column.nulls(value.dataType, count: n)
        let sign: Int64 = window.function == .lag ? -1 : 1
        var source = [UInt32](repeating: 0, count: n)
        for i in 0..<n {
            let row = layout.order[i]
            guard let offset = offsets[row] else { source[row] = UInt32(2 * n); continue }
            let (shift, overflow) = offset.multipliedReportingOverflow(by: sign)
            let target = overflow ? Int64.min : Int64(i).addingReportingOverflow(shift).partialValue
            if target >= Int64(layout.partitionStart[i]) && target < Int64(layout.partitionEnd[i]) {
                source[row] = UInt32(layout.order[Int(target)])
            } else {
                source[row] = UInt32(n + row)
            }
        }
        let combined = try Kernels.concatenate([value, fallback, try Column.nulls(value.dataType, count: 1)])
        return try Kernels.take(combined, SelectionVector(source))
    }

    /// first_value, last_value and nth_value over each row's frame.
    static func frameValue(_ window: BoundWindow, _ layout: WindowLayout, _ batch: RecordBatch) throws -> Column {
        let n = layout.count
        let value = try window.arguments[0].evaluate(batch)
        let nth: [Int64?] = window.function == .nthValue ? try integers(window.arguments[1], batch) : []
        let (starts, ends) = try layout.frames(window.frame, batch)
        var source = [UInt32](repeating: UInt32(n), count: n)
        for i in 0..<n {
            let row = layout.order[i]
            let start = starts[i], end = ends[i]
            guard start < end else { continue }
            switch window.function {
            case .firstValue: source[row] = UInt32(layout.order[start])
            case .lastValue: source[row] = UInt32(layout.order[end - 1])
            default:
                guard let k = nth[row] else { continue }
                guard k > 0 else { throw SQLError(.runtime, "nth_value's position must be greater than zero, found \(k)") }
                if k <= Int64(end - start) { source[row] = UInt32(layout.order[start + Int(k) - 1]) }
            }
        }
        let combined = try Kernels.concatenate([value, try Column.nulls(value.dataType, count: 1)])
        return try Kernels.take(combined, SelectionVector(source))
    }

    /// An integer argument, row by row (nil for NULL).
    static func integers(_ e: BoundExpression, _ batch: RecordBatch) throws -> [Int64?] {
        let column = try Kernels.cast(try e.evaluate(batch), to: .int64)
        guard let values = column.primitive(as: Int64.self) else { throw SQLError(.internalError, "integer argument did not become BIGINT") }
        return (0..<batch.count).map { values[$0] }
    }
}
