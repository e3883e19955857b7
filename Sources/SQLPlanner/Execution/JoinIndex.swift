import ColumnarCore

/// A hash table over the build (right) side of a join on one or two integer keys, built once
/// and probed by any number of batches, concurrently: what lets a join stream its probe side.
/// Keys are packed into one `Int128` (exact, no collisions); rows with a NULL key are left out,
/// since `=` never matches them.
final class JoinIndex: Sendable {
    let build: RecordBatch
    private let slotKeys: [Int128]
    /// Per slot, the first build row with the slot's key (-1: empty).
    private let slotHeads: [Int32]
    /// Per build row, the next row with the same key (-1: none).
    private let next: [Int32]
    private let mask: Int

    /// Whether a key expression can be indexed: an integer type or a date.
    static func indexable(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .date32: return true
        default: return false
        }
    }

    /// The index of `build` by the values of `keys` (one or two indexable expressions).
    init?(_ build: RecordBatch, keys: [BoundExpression]) throws {
        guard (1...2).contains(keys.count), keys.allSatisfy({ JoinIndex.indexable($0.type) }) else { return nil }
        self.build = build
        let (packed, valid) = try JoinIndex.pack(build, keys)
        var capacity = 16
        while capacity < packed.count * 2 { capacity <<= 1 }
        var slotKeys = [Int128](repeating: 0, count: capacity)
        var slotHeads = [Int32](repeating: -1, count: capacity)
        var next = [Int32](repeating: -1, count: packed.count)
        let mask = capacity - 1
        // Inserted backwards so each chain lists rows in ascending order.
        for row in stride(from: packed.count - 1, through: 0, by: -1) where valid[row] {
            let key = packed[row]
            var slot = JoinIndex.hash(key) & mask
            while slotHeads[slot] != -1 && slotKeys[slot] != key { slot = (slot + 1) & mask }
            next[row] = slotHeads[slot]
            slotKeys[slot] = key
            slotHeads[slot] = Int32(row)
        }
        self.slotKeys = slotKeys
        self.slotHeads = slotHeads
        self.next = next
        self.mask = mask
    }

    /// The (probe row, build row) pairs whose keys are equal, ordered by probe row.
    func probe(_ batch: RecordBatch, keys: [BoundExpression]) throws -> ([UInt32], [UInt32]) {
        let (packed, valid) = try JoinIndex.pack(batch, keys)
        var left: [UInt32] = [], right: [UInt32] = []
        left.reserveCapacity(packed.count)
        right.reserveCapacity(packed.count)
        slotKeys.withUnsafeBufferPointer { slotKeys in
            slotHeads.withUnsafeBufferPointer { heads in
                next.withUnsafeBufferPointer { next in
                    for row in 0..<packed.count where valid[row] {
                        let key = packed[row]
                        var slot = JoinIndex.hash(key) & mask
                        while heads[slot] != -1 {
                            if slotKeys[slot] == key {
                                var match = heads[slot]
                                while match != -1 {
                                    left.append(UInt32(row))
                                    right.append(UInt32(match))
                                    match = next[Int(match)]
                                }
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        return (left, right)
    }

    @inline(__always)
    static func hash(_ key: Int128) -> Int {
        let low = UInt64(truncatingIfNeeded: key), high = UInt64(truncatingIfNeeded: key >> 64)
        var h = (low ^ (high &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// The keys of every row packed into one value, and whether the row has no NULL key.
    static func pack(_ batch: RecordBatch, _ keys: [BoundExpression]) throws -> ([Int128], [Bool]) {
        var packed = [Int128](repeating: 0, count: batch.count)
        var valid = [Bool](repeating: true, count: batch.count)
        for (k, key) in keys.enumerated() {
            let column = try key.evaluate(batch)
            guard case .int64(let values) = try Kernels.cast(column.dataType == .date32 ? try Kernels.cast(column, to: .int32) : column, to: .int64) else {
                throw SQLError(.internalError, "join key is not an integer")
            }
            values.values.withUnsafeBufferPointer { v in
                if k == 0 {
                    for i in 0..<v.count { packed[i] = Int128(v[i]) }
                } else {
                    for i in 0..<v.count { packed[i] = (packed[i] << 64) | Int128(UInt64(bitPattern: v[i])) }
                }
            }
            if let validity = values.validity {
                for i in 0..<batch.count where !validity[i] { valid[i] = false }
            }
        }
        return (packed, valid)
    }
}
