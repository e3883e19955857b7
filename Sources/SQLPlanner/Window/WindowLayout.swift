import ColumnarCore

/// The rows of a batch sorted by partition, then by the window's ORDER BY, with the partition
/// and peer-group boundaries of every sorted position. Built once per distinct
/// (PARTITION BY, ORDER BY) and shared by every window call that uses it.
///
/// Positions are indices into `order` (the sorted rows); results are written back at
/// `order[position]`, so output rows keep the input order.
struct WindowLayout {
    /// Sorted position → input row.
    let order: [Int]
    /// Per position: its partition's first position and one past its last.
    let partitionStart: [Int]
    let partitionEnd: [Int]
    /// Per position: its peer group (rows equal on the ORDER BY, in its partition) as a global
    /// group number; `groupStart[g]` and `groupStart[g + 1]` bound group `g`.
    let peerGroup: [Int]
    let groupStart: [Int]
    /// The evaluated ORDER BY keys (RANGE offsets read the first).
    let orderKeys: [Column]
    let orderBy: [BoundOrder]

    var count: Int { order.count }

    /// - Complexity: O(*n*) hashing plus one sort of all rows by (partition id, order keys).
    init(_ batch: RecordBatch, partitionBy: [BoundExpression], orderBy: [BoundOrder]) throws {
        let n = batch.count
        self.orderBy = orderBy
        var partitionIDs: ValueBuffer<UInt32>?
        if !partitionBy.isEmpty && n > 0 {
            let keys = try partitionBy.map { try $0.evaluate(batch) }
            partitionIDs = try Kernels.groupIDs(keys).ids
        }
        orderKeys = try orderBy.map { try $0.expression.evaluate(batch) }
        var peerIDs: ValueBuffer<UInt32>?
        if !orderKeys.isEmpty && n > 0 { peerIDs = try Kernels.groupIDs(orderKeys).ids }

        var sortKeys: [SortKey] = []
        if let partitionIDs { sortKeys.append(SortKey(.uint32(PrimitiveColumn(values: partitionIDs)))) }
        for (k, key) in orderBy.enumerated() { sortKeys.append(SortKey(orderKeys[k], descending: key.descending, nullsFirst: key.nullsFirst)) }
        let sorted: [Int] = sortKeys.isEmpty || n < 2 ? Array(0..<n) : try Kernels.sortIndices(sortKeys).map { Int($0) }

        var partitionStart = [Int](repeating: 0, count: n)
        var partitionEnd = [Int](repeating: n, count: n)
        var peerGroup = [Int](repeating: 0, count: n)
        var groupStart: [Int] = []
        var currentPartition = 0
        for i in 0..<n {
            let row = sorted[i]
            let previous = i > 0 ? sorted[i - 1] : 0
            let newPartition = i == 0 || (partitionIDs.map { $0[row] != $0[previous] } ?? false)
            if newPartition {
                if i > 0 { for j in currentPartition..<i { partitionEnd[j] = i } }
                currentPartition = i
            }
            partitionStart[i] = currentPartition
            if newPartition || (peerIDs.map { $0[row] != $0[previous] } ?? false) { groupStart.append(i) }
            peerGroup[i] = groupStart.count - 1
        }
        groupStart.append(n)
        self.order = sorted
        self.partitionStart = partitionStart
        self.partitionEnd = partitionEnd
        self.peerGroup = peerGroup
        self.groupStart = groupStart
    }

    /// First position of the peer group of position `i`, and one past its last.
    @inline(__always) func peers(_ i: Int) -> Range<Int> { groupStart[peerGroup[i]]..<groupStart[peerGroup[i] + 1] }

    /// Every position's frame as [start, end) positions (an empty frame has end ≤ start).
    /// Both bounds are non-decreasing within a partition for constant offsets.
    func frames(_ frame: BoundWindowFrame, _ batch: RecordBatch) throws -> (starts: [Int], ends: [Int]) {
        let n = count
        var starts = [Int](repeating: 0, count: n)
        var ends = [Int](repeating: 0, count: n)
        var rangeKeys: RangeKeys?
        if frame.unit == .range, [frame.start, frame.end].contains(where: { if case .preceding = $0 { return true }; if case .following = $0 { return true }; return false }) {
            rangeKeys = try RangeKeys(self)
        }
        let startOffsets = try frame.startOffsets.map { try Self.rowOffsets($0, batch) }
        let endOffsets = try frame.endOffsets.map { try Self.rowOffsets($0, batch) }
        for i in 0..<n {
            var start = frame.start, end = frame.end
            if let startOffsets { start = start.with(offset: startOffsets[order[i]]) }
            if let endOffsets { end = end.with(offset: endOffsets[order[i]]) }
            starts[i] = bound(start, frame.unit, i, isStart: true, rangeKeys)
            ends[i] = bound(end, frame.unit, i, isStart: false, rangeKeys)
        }
        return (starts, ends)
    }

    /// Per-row frame offsets; NULL or negative ones are errors, as in DuckDB.
    static func rowOffsets(_ e: BoundExpression, _ batch: RecordBatch) throws -> [Double] {
        var offsets: [Double] = []
        offsets.reserveCapacity(batch.count)
        for value in try Executor.integers(e, batch) {
            guard let value else { throw SQLError(.runtime, "a frame offset is NULL") }
            guard value >= 0 else { throw SQLError(.runtime, "a frame offset is negative (\(value))") }
            offsets.append(Double(value))
        }
        return offsets
    }

    /// One frame bound of position `i`: a start is the first position in the frame, an end is
    /// one past the last.
    private func bound(_ b: BoundWindowFrame.Bound, _ unit: BoundWindowFrame.Unit, _ i: Int, isStart: Bool, _ keys: RangeKeys?) -> Int {
        let ps = partitionStart[i], pe = partitionEnd[i]
        switch b {
        case .unboundedPreceding: return ps
        case .unboundedFollowing: return pe
        case .currentRow:
            if unit == .rows { return isStart ? i : i + 1 }
            return isStart ? peers(i).lowerBound : peers(i).upperBound
        case .preceding(let offset), .following(let offset):
            let sign = { if case .preceding = b { return -1.0 }; return 1.0 }()
            switch unit {
            case .rows:
                let delta = offset >= Double(Int32.max) ? Int(Int32.max) : Int(offset)
                let target = sign < 0 ? i - delta : i + delta
                return Swift.min(pe, Swift.max(ps, isStart ? target : target + 1))
            case .groups:
                let delta = offset >= Double(Int32.max) ? Int(Int32.max) : Int(offset)
                let first = peerGroup[ps], last = peerGroup[pe - 1]
                let g = sign < 0 ? peerGroup[i] - delta : peerGroup[i] + delta
                if g < first { return ps }
                if g > last { return pe }
                return isStart ? groupStart[g] : groupStart[g + 1]
            case .range:
                return keys!.bound(i, offset: sign * offset, isStart: isStart, layout: self)
            }
        }
    }
}

extension BoundWindowFrame.Bound {
    /// The same kind of bound with another offset.
    func with(offset: Double) -> Self {
        switch self {
        case .preceding: .preceding(offset)
        case .following: .following(offset)
        default: self
        }
    }
}

/// The single numeric ORDER BY key as doubles, for RANGE frames with offsets.
struct RangeKeys {
    let values: [Double]
    let valid: [Bool]
    let descending: Bool
    /// Per position: the positions of its partition whose key is not NULL (contiguous, as the
    /// NULLs sort to one end).
    let nonNull: [Range<Int>]

    init(_ layout: WindowLayout) throws {
        let key = try Kernels.cast(layout.orderKeys[0], to: .float64)
        guard let doubles = key.primitive(as: Double.self) else { throw SQLError(.internalError, "RANGE key did not become DOUBLE") }
        values = Array(doubles.values)
        valid = (0..<key.count).map { !key.isNull($0) }
        descending = layout.orderBy[0].descending
        var nonNull = [Range<Int>](repeating: 0..<0, count: layout.count)
        var i = 0
        while i < layout.count {
            var lo = layout.partitionStart[i], hi = layout.partitionEnd[i]
            while lo < hi && !valid[layout.order[lo]] { lo += 1 }
            while hi > lo && !valid[layout.order[hi - 1]] { hi -= 1 }
            for j in i..<layout.partitionEnd[i] { nonNull[j] = lo..<hi }
            i = layout.partitionEnd[i]
        }
        self.nonNull = nonNull
    }

    /// For a start: the first position whose key is at or past `key(i) + offset` in the sort
    /// direction; for an end: one past the last position at or before it. A NULL key's frame
    /// bound is its peer group (the NULLs), as DuckDB does.
    func bound(_ i: Int, offset: Double, isStart: Bool, layout: WindowLayout) -> Int {
        let row = layout.order[i]
        guard valid[row] else { return isStart ? layout.peers(i).lowerBound : layout.peers(i).upperBound }
        let target = descending ? values[row] - offset : values[row] + offset
        // The first position in [lo, hi) whose key is past the target (end) or at it (start).
        var a = nonNull[i].lowerBound, b = nonNull[i].upperBound
        while a < b {
            let mid = (a + b) / 2
            let v = values[layout.order[mid]]
            let before = descending ? (isStart ? v > target : v >= target) : (isStart ? v < target : v <= target)
            if before { a = mid + 1 } else { b = mid }
        }
        return a
    }
}
