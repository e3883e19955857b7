import ColumnarCore

/// Aggregates computed group by group from each group's list of rows: the path for every
/// aggregate that ``GroupedAggregates`` does not compute in one pass, for ordered aggregates
/// (`first(x ORDER BY k)`), and for aggregates over window frames.
enum GroupAggregation {
    /// One value per group, of the aggregate's type. `groups[g]` lists the rows of group g in the
    /// order they are fed; `arguments` are the aggregate's arguments evaluated over all rows.
    static func column(_ aggregate: BoundAggregate, _ arguments: [Column], groups: [[UInt32]]) throws -> Column {
        var groups = groups
        if aggregate.distinct, !arguments.isEmpty { groups = try groups.map { try distinctRows(arguments, $0) } }
        let column: Column
        if StatisticalAggregates.handles(aggregate.function) {
            column = try StatisticalAggregates.column(aggregate.function, arguments, groups: groups)
        } else if aggregate.function == .argMin || aggregate.function == .argMax {
            column = try argExtreme(arguments[0], key: arguments[1], wantMax: aggregate.function == .argMax, groups: groups)
        } else if aggregate.function == .median {
            column = try median(arguments[0], groups: groups)
        } else {
            var scalars: [Scalar] = []
            scalars.reserveCapacity(groups.count)
            for rows in groups { scalars.append(try scalar(aggregate, arguments.first, rows)) }
            return try Column(aggregate.type, scalars)
        }
        return column.dataType == aggregate.type ? column : try Kernels.cast(column, to: aggregate.type)
    }

    /// The first row of each distinct tuple of `values` among `rows`, in their order.
    static func distinctRows(_ values: [Column], _ rows: [UInt32]) throws -> [UInt32] {
        guard rows.count > 1 else { return rows }
        let selection = SelectionVector(rows)
        let distinct = try Kernels.groupIDs(try values.map { try Kernels.take($0, selection) })
        return distinct.representatives.map { rows[Int($0)] }
    }

    /// arg_min / arg_max: the value of the row with the smallest (largest) key, the first such row
    /// on ties; rows where the value or the key is NULL do not count.
    static func argExtreme(_ value: Column, key: Column, wantMax: Bool, groups: [[UInt32]]) throws -> Column {
        // A row's place in the stable sort of the keys ranks it (earlier rows first among ties).
        let order = try Kernels.sortIndices(key, descending: wantMax)
        var rank = [UInt32](repeating: 0, count: key.count)
        for (place, row) in order.enumerated() { rank[Int(row)] = UInt32(place) }
        let missing = UInt32(value.count)
        var chosen = [UInt32](repeating: missing, count: groups.count)
        for (g, rows) in groups.enumerated() {
            var best: UInt32?
            for row in rows where !value.isNull(Int(row)) && !key.isNull(Int(row)) {
                if best == nil || rank[Int(row)] < rank[Int(best!)] { best = row }
            }
            if let best { chosen[g] = best }
        }
        let padded = try Kernels.concatenate([value, try Column.nulls(value.dataType, count: 1)])
        return try Kernels.take(padded, SelectionVector(chosen))
    }

    /// The median of each group's non-null values: numbers interpolate between the two middle
    /// values (a DOUBLE, as `quantile_cont(x, 0.5)`); other types take the lower middle value.
    static func median(_ values: Column, groups: [[UInt32]]) throws -> Column {
        // A row's place in the sort of all values orders the rows of every group.
        let order = try Kernels.sortIndices(values)
        var rank = [UInt32](repeating: 0, count: values.count)
        for (place, row) in order.enumerated() { rank[Int(row)] = UInt32(place) }
        let middles = groups.map { rows -> (lower: UInt32, upper: UInt32, fraction: Double)? in
            // The group's places in the sort, sorted, name its rows in value order.
            var places: [UInt32] = []
            places.reserveCapacity(rows.count)
            for row in rows where !values.isNull(Int(row)) { places.append(rank[Int(row)]) }
            guard !places.isEmpty else { return nil }
            places.sort()
            let position = Double(places.count - 1) / 2
            let lower = Int(position.rounded(.down))
            let upper = Swift.min(lower + 1, places.count - 1)
            return (order[Int(places[lower])], order[Int(places[upper])], position - Double(lower))
        }
        guard values.dataType.isNumeric else {
            let missing = UInt32(values.count)
            let padded = try Kernels.concatenate([values, try Column.nulls(values.dataType, count: 1)])
            return try Kernels.take(padded, SelectionVector(middles.map { $0?.lower ?? missing }))
        }
        guard let doubles = try Kernels.cast(values, to: .float64).primitive(as: Double.self) else {
            throw SQLError(.internalError, "median argument did not become DOUBLE")
        }
        return .float64(PrimitiveColumn(middles.map { middle -> Double? in
            guard let middle else { return nil }
            let low = doubles.values[Int(middle.lower)], high = doubles.values[Int(middle.upper)]
            return middle.fraction == 0 ? low : low + (high - low) * middle.fraction
        }))
    }

    /// The value of an aggregate over the rows of one group, computed on scalars.
    static func scalar(_ aggregate: BoundAggregate, _ argument: Column?, _ rows: [UInt32]) throws -> Scalar {
        if aggregate.function == .countStar { return .int64(Int64(rows.count)) }
        guard let argument else { throw SQLError(.internalError, "aggregate \(aggregate.function.rawValue) without argument") }
        let values = try Kernels.take(argument, SelectionVector(rows))
        switch aggregate.function {
        case .count: return .int64(Int64(Kernels.count(values)))
        case .sum: return try Kernels.sum(values)
        case .min: return try Kernels.min(values)
        case .max: return try Kernels.max(values)
        case .avg:
            let total = try Kernels.sum(try Kernels.cast(values, to: .float64))
            let n = Kernels.count(values)
            if case .float64(let t) = total, n > 0 { return .float64(t / Double(n)) }
            return .null
        case .stddevSample, .stddevPopulation, .varianceSample, .variancePopulation:
            return variance(values, aggregate.function)
        case .boolAnd, .boolOr:
            var result: Bool?
            for k in 0..<values.count where !values.isNull(k) {
                guard case .boolean(let b) = values.scalar(at: k) else { continue }
                result = aggregate.function == .boolAnd ? (result ?? true) && b : (result ?? false) || b
            }
            return result.map { .boolean($0) } ?? .null
        case .anyValue:
            return (0..<values.count).first { !values.isNull($0) }.map { values.scalar(at: $0) } ?? .null
        case .first:
            return values.count > 0 ? values.scalar(at: 0) : .null
        case .last:
            return values.count > 0 ? values.scalar(at: values.count - 1) : .null
        case .stringAgg:
            var parts: [String] = []
            for k in 0..<values.count where !values.isNull(k) {
                if case .utf8(let text) = values.scalar(at: k) { parts.append(text) }
            }
            return parts.isEmpty ? .null : .utf8(parts.joined(separator: aggregate.separator))
        default:
            throw SQLError(.internalError, "aggregate \(aggregate.function.rawValue) has no scalar evaluation")
        }
    }
}
