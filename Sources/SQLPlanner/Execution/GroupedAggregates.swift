import ColumnarCore

/// Aggregates computed for all groups in one pass over the rows: each row adds its value to
/// its group's accumulator (typed arrays indexed by group id), with no per-group gathering.
enum GroupedAggregates {
    /// The aggregate's value per group, or nil when this path does not handle it (the caller
    /// then computes it group by group).
    static func compute(_ aggregate: BoundAggregate, _ argument: Column?, ids: ValueBuffer<UInt32>, groups: Int) throws -> Column? {
        if aggregate.function == .countStar {
            var counts = [Int64](repeating: 0, count: groups)
            ids.withUnsafeBufferPointer { ids in for g in ids { counts[Int(g)] += 1 } }
            return .int64(PrimitiveColumn(counts))
        }
        guard let argument else { return nil }
        if aggregate.distinct {
            guard aggregate.function == .count || aggregate.function == .min || aggregate.function == .max else { return nil }
            if aggregate.function != .count { return try compute(BoundAggregate(function: aggregate.function, argument: nil, distinct: false, type: aggregate.type), argument, ids: ids, groups: groups) }
            // Distinct (group, value) pairs, then a count per group.
            let pairs = try Kernels.groupIDs([.uint32(PrimitiveColumn(values: ids)), argument])
            var counts = [Int64](repeating: 0, count: groups)
            for row in pairs.representatives where !argument.isNull(Int(row)) { counts[Int(ids[Int(row)])] += 1 }
            return .int64(PrimitiveColumn(counts))
        }
        switch aggregate.function {
        case .count:
            var counts = [Int64](repeating: 0, count: groups)
            ids.withUnsafeBufferPointer { ids in
                if let validity = argument.validity {
                    for (row, g) in ids.enumerated() where validity[row] { counts[Int(g)] += 1 }
                } else {
                    for g in ids { counts[Int(g)] += 1 }
                }
            }
            return .int64(PrimitiveColumn(counts))
        case .sum, .avg:
            return try sumOrAverage(aggregate, argument, ids: ids, groups: groups)
        case .min, .max:
            return try extreme(argument, wantMax: aggregate.function == .max, ids: ids, groups: groups)
        default:
            return nil
        }
    }

    /// Sums (DECIMAL(38, s) for integers and decimals, DOUBLE for floats) or averages (DOUBLE).
    private static func sumOrAverage(_ aggregate: BoundAggregate, _ argument: Column, ids: ValueBuffer<UInt32>, groups: Int) throws -> Column? {
        var present = [Bool](repeating: false, count: groups)
        var counts = [Int64](repeating: 0, count: groups)
        let validity = argument.validity
        let type = argument.dataType
        if type.isFloatingPoint {
            let values = try Kernels.cast(argument, to: .float64).primitive(as: Double.self)!
            var sums = [Double](repeating: 0, count: groups)
            values.values.withUnsafeBufferPointer { v in
                ids.withUnsafeBufferPointer { ids in
                    for (row, g) in ids.enumerated() where validity?[row] ?? true {
                        sums[Int(g)] += v[row]
                        counts[Int(g)] += 1
                    }
                }
            }
            for g in 0..<groups { present[g] = counts[g] > 0 }
            if aggregate.function == .avg { for g in 0..<groups where counts[g] > 0 { sums[g] /= Double(counts[g]) } }
            return .float64(PrimitiveColumn(values: ValueBuffer(sums), validity: Bitmap(present)))
        }
        var scale = 0
        let wide: PrimitiveColumn<Int128>
        if case .decimal128(let c, _, let s) = argument {
            wide = c
            scale = s
        } else if type.isInteger && type != .uint64 {
            guard case .int64(let c) = try Kernels.cast(argument, to: .int64) else { return nil }
            wide = PrimitiveColumn(values: ValueBuffer(c.values.map { Int128($0) }), validity: c.validity)
        } else {
            return nil
        }
        var sums = [Int128](repeating: 0, count: groups)
        var overflow = false
        wide.values.withUnsafeBufferPointer { v in
            ids.withUnsafeBufferPointer { ids in
                for (row, g) in ids.enumerated() where validity?[row] ?? true {
                    let (s, o) = sums[Int(g)].addingReportingOverflow(v[row])
                    sums[Int(g)] = s
                    overflow = overflow || o
                    counts[Int(g)] += 1
                }
            }
        }
        let limit = Int128(10).power(38)
        if overflow || sums.contains(where: { $0 >= limit || $0 <= -limit }) {
            throw SQLError(.runtime, "overflow: a sum exceeds 38 digits")
        }
        for g in 0..<groups { present[g] = counts[g] > 0 }
        if aggregate.function == .avg {
            let divisor = Double(Int128(10).power(scale))
            var averages = [Double](repeating: 0, count: groups)
            for g in 0..<groups where counts[g] > 0 {
                // Exact integer part plus remainder keeps the average to double precision.
                let n = Int128(counts[g])
                let quotient = sums[g] / n, remainder = sums[g] % n
                averages[g] = (Double(quotient) + Double(remainder) / Double(n)) / divisor
            }
            return .float64(PrimitiveColumn(values: ValueBuffer(averages), validity: Bitmap(present)))
        }
        return .decimal128(PrimitiveColumn(values: ValueBuffer(sums), validity: Bitmap(present)), precision: 38, scale: scale)
    }

    /// min or max: the best row of each group, then those rows taken (a null where a group has
    /// no value).
    private static func extreme(_ argument: Column, wantMax: Bool, ids: ValueBuffer<UInt32>, groups: Int) throws -> Column? {
        let none = UInt32.max
        var best = [UInt32](repeating: none, count: groups)
        let validity = argument.validity
        struct Visitor: PrimitiveColumnVisitor {
            let ids: ValueBuffer<UInt32>
            let wantMax: Bool
            let validity: Bitmap?
            let groups: Int
            func visit<T: FixedWidthValue>(_ column: PrimitiveColumn<T>) -> [UInt32] {
                var best = [UInt32](repeating: UInt32.max, count: groups)
                var values = [T](repeating: T.zero, count: groups)
                column.values.withUnsafeBufferPointer { v in
                    ids.withUnsafeBufferPointer { ids in
                        for (row, g) in ids.enumerated() where validity?[row] ?? true {
                            let gi = Int(g)
                            if best[gi] == UInt32.max || (wantMax ? T.sqlLess(values[gi], v[row]) : T.sqlLess(v[row], values[gi])) {
                                best[gi] = UInt32(row)
                                values[gi] = v[row]
                            }
                        }
                    }
                }
                return best
            }
        }
        if let found = try argument.visitPrimitive(Visitor(ids: ids, wantMax: wantMax, validity: validity, groups: groups)) {
            best = found
        } else if case .utf8(let text) = argument {
            text.offsets.withUnsafeBufferPointer { o in
                text.bytes.withUnsafeBufferPointer { b in
                    func less(_ x: Int, _ y: Int) -> Bool {
                        let a = UnsafeBufferPointer(rebasing: b[Int(o[x])..<Int(o[x + 1])])
                        let c = UnsafeBufferPointer(rebasing: b[Int(o[y])..<Int(o[y + 1])])
                        return a.lexicographicallyPrecedes(c)
                    }
                    ids.withUnsafeBufferPointer { ids in
                        for (row, g) in ids.enumerated() where validity?[row] ?? true {
                            let gi = Int(g)
                            if best[gi] == none || (wantMax ? less(Int(best[gi]), row) : less(row, Int(best[gi]))) { best[gi] = UInt32(row) }
                        }
                    }
                }
            }
        } else {
            return nil
        }
        let n = UInt32(argument.count)
        let padded = try Kernels.concatenate([argument, try Column.nulls(argument.dataType, count: 1)])
        return try Kernels.take(padded, SelectionVector(best.map { $0 == none ? n : $0 }))
    }
}

extension Int128 {
    func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= self }
        return result
    }
}
