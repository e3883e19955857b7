import ColumnarCore

/// The join operator: equality keys are matched through one hash table of group ids over both
/// inputs' keys, then the residual condition is checked on the candidate pairs in chunks; a join
/// without keys checks every pair, a chunk at a time.
extension Executor {
    /// At most this many candidate pairs are gathered at once to check a residual condition.
    static let pairChunk = 1 << 20

    static func join(_ type: JoinType, _ l: RecordBatch, _ r: RecordBatch, _ condition: JoinCondition, schema: Schema) throws -> RecordBatch {
        if type == .single, condition.keys.isEmpty, condition.residual == nil, l.count > 0, r.count > 1 {
            throw SQLError(.runtime, "more than one row returned by a subquery used as an expression")
        }
        if !condition.nullsEqual, let index = try JoinIndex(r, keys: condition.keys.map(\.right)) {
            return try probe(type, l, index, condition, schema: schema)
        }
        let (li, ri) = try matchingPairs(l, r, condition)
        return try joinOutput(type, l, r, li, ri, condition, schema: schema)
    }

    /// A batch of the probe side joined through an index of the build side.
    static func probe(_ type: JoinType, _ l: RecordBatch, _ index: JoinIndex, _ condition: JoinCondition, schema: Schema) throws -> RecordBatch {
        let r = index.build
        var (li, ri) = try index.probe(l, keys: condition.keys.map(\.left))
        if let residual = condition.residual, !li.isEmpty {
            var fl: [UInt32] = [], fr: [UInt32] = []
            var start = 0
            while start < li.count {
                let end = Swift.min(li.count, start + pairChunk)
                let cl = Array(li[start..<end]), cr = Array(ri[start..<end])
                let mask = try residualMask(residual, l, cl, r, cr)
                for k in 0..<cl.count where !mask.isNull(k) && mask.values[k] { fl.append(cl[k]); fr.append(cr[k]) }
                start = end
            }
            (li, ri) = (fl, fr)
        }
        return try joinOutput(type, l, r, li, ri, condition, schema: schema)
    }

    /// The join's output from the matching pairs.
    static func joinOutput(_ type: JoinType, _ l: RecordBatch, _ r: RecordBatch, _ li: [UInt32], _ ri: [UInt32], _ condition: JoinCondition, schema: Schema) throws -> RecordBatch {
        switch type {
        case .inner:
            return try gather(l, li, r, ri, schema: schema, leftNulls: false, rightNulls: false)
        case .left, .right, .full:
            var lo = li, ro = ri
            let nullRight = UInt32(r.count), nullLeft = UInt32(l.count)
            if type != .right {
                var matched = [Bool](repeating: false, count: l.count)
                for i in li { matched[Int(i)] = true }
                // Unmatched left rows keep the left order among the matches: merge by row.
                if matched.contains(false) {
                    var mergedL: [UInt32] = [], mergedR: [UInt32] = []
                    mergedL.reserveCapacity(li.count + l.count)
                    mergedR.reserveCapacity(li.count + l.count)
                    var k = 0
                    for row in 0..<l.count {
                        if matched[row] {
                            while k < li.count, li[k] == UInt32(row) { mergedL.append(li[k]); mergedR.append(ri[k]); k += 1 }
                        } else {
                            mergedL.append(UInt32(row)); mergedR.append(nullRight)
                        }
                    }
                    lo = mergedL
                    ro = mergedR
                }
            }
            if type != .left {
                var matched = [Bool](repeating: false, count: r.count)
                for i in ri { matched[Int(i)] = true }
                for row in 0..<r.count where !matched[row] { lo.append(nullLeft); ro.append(UInt32(row)) }
            }
            return try gather(l, lo, r, ro, schema: schema, leftNulls: type != .left, rightNulls: type != .right)
        case .semi, .anti:
            var matched = [Bool](repeating: false, count: l.count)
            for i in li { matched[Int(i)] = true }
            let keep = (0..<l.count).filter { matched[$0] == (type == .semi) }.map { UInt32($0) }
            return try take(l, SelectionVector(keep)).withSchema(schema)
        case .single:
            var seen = [Bool](repeating: false, count: l.count)
            for i in li {
                if seen[Int(i)] { throw SQLError(.runtime, "more than one row returned by a subquery used as an expression") }
                seen[Int(i)] = true
            }
            var rightOf = [UInt32](repeating: UInt32(r.count), count: l.count)
            for (a, b) in zip(li, ri) { rightOf[Int(a)] = b }
            return try gather(l, Array(0..<UInt32(l.count)), r, rightOf, schema: schema, leftNulls: false, rightNulls: true)
        case .mark(let inSemantics):
            var mark = [Bool?](repeating: false, count: l.count)
            for i in li { mark[Int(i)] = true }
            if inSemantics, let last = condition.keys.last {
                for row in try unknownInRows(l, r, condition, x: last.left, y: last.right) where mark[row] == false { mark[row] = nil }
            }
            return try RecordBatch(schema: schema, columns: l.columns + [.boolean(BooleanColumn(mark))], count: l.count)
        }
    }

    /// The left rows for which `x IN (y …)` is NULL rather than FALSE: some right row meets the
    /// rest of the condition while `x` or its `y` is NULL.
    private static func unknownInRows(_ l: RecordBatch, _ r: RecordBatch, _ condition: JoinCondition, x: BoundExpression, y: BoundExpression) throws -> [Int] {
        let xs = try x.evaluate(l), ys = try y.evaluate(r)
        guard xs.nullCount > 0 || ys.nullCount > 0 else { return [] }
        var rest = condition
        rest.keys.removeLast()
        if rest.keys.isEmpty && rest.residual == nil {
            guard r.count > 0 else { return [] }
            if ys.nullCount > 0 { return Array(0..<l.count) }
            return (0..<l.count).filter { xs.isNull($0) }
        }
        let eitherNull = BoundExpression.or(.isNull(x, negated: false), .isNull(y.shifted(by: l.columns.count), negated: false))
        rest.residual = rest.residual.map { .and($0, eitherNull) } ?? eitherNull
        let (li, _) = try matchingPairs(l, r, rest)
        return Array(Set(li.map { Int($0) })).sorted()
    }

    /// The (left row, right row) pairs that meet the condition, ordered by left row.
    static func matchingPairs(_ l: RecordBatch, _ r: RecordBatch, _ condition: JoinCondition) throws -> ([UInt32], [UInt32]) {
        var outL: [UInt32] = [], outR: [UInt32] = []
        var chunkL: [UInt32] = [], chunkR: [UInt32] = []
        func flush() throws {
            guard !chunkL.isEmpty else { return }
            if let residual = condition.residual {
                let mask = try residualMask(residual, l, chunkL, r, chunkR)
                for k in 0..<chunkL.count where !mask.isNull(k) && mask.values[k] {
                    outL.append(chunkL[k]); outR.append(chunkR[k])
                }
            } else {
                outL += chunkL; outR += chunkR
            }
            chunkL.removeAll(keepingCapacity: true)
            chunkR.removeAll(keepingCapacity: true)
        }
        guard l.count > 0, r.count > 0 else { return ([], []) }
        if condition.keys.isEmpty {
            for a in 0..<l.count {
                for b in 0..<r.count { chunkL.append(UInt32(a)); chunkR.append(UInt32(b)) }
                if chunkL.count >= pairChunk { try flush() }
            }
            try flush()
            return (outL, outR)
        }
        let leftKeys = try condition.keys.map { try $0.left.evaluate(l) }
        let rightKeys = try condition.keys.map { try $0.right.evaluate(r) }
        var combined: [Column] = []
        for (a, b) in zip(leftKeys, rightKeys) {
            if a.dataType == b.dataType {
                combined.append(try Kernels.concatenate([a, b]))
            } else {
                combined.append(try Kernels.concatenate([a, try Kernels.cast(b, to: a.dataType)]))
            }
        }
        let groups = try Kernels.groupIDs(combined)
        let usable: (Int) -> Bool
        if condition.nullsEqual || combined.allSatisfy({ $0.nullCount == 0 }) {
            usable = { _ in true }
        } else {
            let valid = combined.map { column in (0..<column.count).map { !column.isNull($0) } }
            usable = { row in valid.allSatisfy { $0[row] } }
        }
        let lc = l.count
        let groupCount = groups.groupCount
        // Right rows by group: counts, then start offsets, then the rows.
        var start = [Int32](repeating: 0, count: groupCount + 1)
        groups.ids.withUnsafeBufferPointer { ids in
            for row in 0..<r.count where usable(lc + row) { start[Int(ids[lc + row]) + 1] += 1 }
        }
        for g in 0..<groupCount { start[g + 1] += start[g] }
        var fill = start
        var rows = [UInt32](repeating: 0, count: Int(start[groupCount]))
        groups.ids.withUnsafeBufferPointer { ids in
            for row in 0..<r.count where usable(lc + row) {
                let g = Int(ids[lc + row])
                rows[Int(fill[g])] = UInt32(row)
                fill[g] += 1
            }
        }
        try groups.ids.withUnsafeBufferPointer { ids in
            for row in 0..<lc where usable(row) {
                let g = Int(ids[row])
                let from = Int(start[g]), to = Int(start[g + 1])
                guard from < to else { continue }
                for k in from..<to { chunkL.append(UInt32(row)); chunkR.append(rows[k]) }
                if chunkL.count >= pairChunk { try flush() }
            }
        }
        try flush()
        return (outL, outR)
    }

    /// The residual condition evaluated on the chosen pairs (only the columns it reads are gathered).
    static func residualMask(_ residual: BoundExpression, _ l: RecordBatch, _ li: [UInt32], _ r: RecordBatch, _ ri: [UInt32]) throws -> BooleanColumn {
        let used = residual.columnsUsed.sorted()
        var position: [Int: Int] = [:]
        var columns: [Column] = []
        var fields: [Field] = []
        let lw = l.columns.count
        let ls = SelectionVector(li), rs = SelectionVector(ri)
        for index in used {
            position[index] = columns.count
            let column = index < lw ? try Kernels.take(l.columns[index], ls) : try Kernels.take(r.columns[index - lw], rs)
            columns.append(column)
            fields.append(Field("c\(index)", column.dataType))
        }
        let compact = residual.mapColumns { .column(position[$0]!, $1) }
        let batch = try RecordBatch(schema: Schema(fields), columns: columns, count: li.count)
        guard case .boolean(let mask) = try compact.evaluate(batch) else { throw SQLError(.internalError, "join condition is not BOOLEAN") }
        return mask
    }

    /// The output rows of the pairs; index `count` of a side stands for a row of nulls.
    private static func gather(_ l: RecordBatch, _ li: [UInt32], _ r: RecordBatch, _ ri: [UInt32], schema: Schema, leftNulls: Bool, rightNulls: Bool) throws -> RecordBatch {
        func side(_ batch: RecordBatch, _ rows: [UInt32], _ padded: Bool) throws -> [Column] {
            let selection = SelectionVector(rows)
            return try batch.columns.map { column in
                let source = padded ? try Kernels.concatenate([column, try Column.nulls(column.dataType, count: 1)]) : column
                return try Kernels.take(source, selection)
            }
        }
        let columns = try side(l, li, leftNulls) + side(r, ri, rightNulls)
        return try RecordBatch(schema: schema, columns: columns, count: li.count)
    }
}

extension RecordBatch {
    /// The same columns under another schema (names; types must agree).
    func withSchema(_ schema: Schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: columns, count: count)
    }
}
