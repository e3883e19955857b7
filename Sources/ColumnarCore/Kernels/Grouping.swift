/// The result of ``Kernels/groupIDs(_:)``: a dense group number per row.
public struct GroupIDs: Sendable {
    /// For each row, its group in `0..<groupCount`, numbered in order of first appearance.
    public let ids: ValueBuffer<UInt32>
    /// For each group, the first row that has its key.
    public let representatives: ValueBuffer<UInt32>
    /// The number of distinct keys.
    public var groupCount: Int { representatives.count }
}

extension Kernels {
    /// Assigns every row the number of its distinct key, over one or several key columns: the
    /// core of `GROUP BY`, `DISTINCT` and dictionary encoding.
    ///
    /// Keys are equal as SQL groups them: nulls form one group, NaN equals NaN, -0.0 equals 0.0.
    /// The table is open-addressed with linear probing and keeps each slot's full hash beside its
    /// group number, so most mismatches are rejected without touching the key. A single integer
    /// or string key takes a specialised path.
    ///
    /// ```swift
    /// let groups = try Kernels.groupIDs([.utf8(BinaryColumn(["b", "a", "b"]))])
    /// Array(groups.ids)   // [0, 1, 0]
    /// groups.groupCount   // 2
    /// ```
    /// - Throws: ``ColumnarError`` `.lengthMismatch`, or `.unsupported` for nested keys.
    /// - Complexity: O(*n*) expected.
    public static func groupIDs(_ columns: [Column]) throws -> GroupIDs {
        if columns.count == 1, let specialised = try _groupSingleColumn(columns[0]) { return specialised }
        if columns.count > 1, let combined = try _groupByCombinedIDs(columns) { return combined }
        let hashes = try hash(columns)
        let count = hashes.count
        let equality = try columns.map { try _makeRowEquality($0) }
        var table = _GroupTable(expected: Swift.min(count, 1 << 20))
        var ids = [UInt32](repeating: 0, count: count)
        var representatives: [UInt32] = []
        hashes.withUnsafeBufferPointer { h in
            if equality.count == 1 {
                equality[0].assignGroups(h, &table, &ids, &representatives)
            } else {
                for row in 0..<count {
                    ids[row] = table.findOrInsert(hash: h[row], row: UInt32(row), representatives: &representatives) { rep in
                        equality.allSatisfy { $0.rowsEqual(row, Int(rep)) }
                    }
                }
            }
        }
        return GroupIDs(ids: ValueBuffer(ids), representatives: ValueBuffer(representatives))
    }
}

/// Open-addressed table of (hash, group) slots; the group's representative row stands for the key.
struct _GroupTable {
    var hashes: [UInt64]
    var groups: [UInt32]
    var mask: Int
    var used = 0

    static let empty = UInt32.max

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        hashes = [UInt64](repeating: 0, count: capacity)
        groups = [UInt32](repeating: _GroupTable.empty, count: capacity)
        mask = capacity - 1
    }

    /// The group of a row with `hash`, inserting a new group (represented by `row`) when no
    /// slot with that hash holds an equal key.
    @inline(__always)
    mutating func findOrInsert(hash: UInt64, row: UInt32, representatives: inout [UInt32], _ equal: (UInt32) -> Bool) -> UInt32 {
        if used * 2 >= groups.count { grow(representatives) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let group = groups[slot]
            if group == _GroupTable.empty {
                let newGroup = UInt32(representatives.count)
                groups[slot] = newGroup
                hashes[slot] = hash
                representatives.append(row)
                used += 1
                return newGroup
            }
            if hashes[slot] == hash && equal(representatives[Int(group)]) { return group }
            slot = (slot + 1) & mask
        }
    }

    mutating func grow(_ representatives: [UInt32]) {
        let oldHashes = hashes
        let oldGroups = groups
        let capacity = groups.count * 2
        hashes = [UInt64](repeating: 0, count: capacity)
        groups = [UInt32](repeating: _GroupTable.empty, count: capacity)
        mask = capacity - 1
        for (hash, group) in zip(oldHashes, oldGroups) where group != _GroupTable.empty {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while groups[slot] != _GroupTable.empty { slot = (slot + 1) & mask }
            groups[slot] = group
            hashes[slot] = hash
        }
    }
}

/// Key equality for one column; `assignGroups` runs the whole single-key loop specialised.
protocol _RowEquality {
    func rowsEqual(_ a: Int, _ b: Int) -> Bool
    func assignGroups(_ hashes: UnsafeBufferPointer<UInt64>, _ table: inout _GroupTable, _ ids: inout [UInt32], _ representatives: inout [UInt32])
}

extension _RowEquality {
    func assignGroups(_ hashes: UnsafeBufferPointer<UInt64>, _ table: inout _GroupTable, _ ids: inout [UInt32], _ representatives: inout [UInt32]) {
        for row in 0..<hashes.count {
            ids[row] = table.findOrInsert(hash: hashes[row], row: UInt32(row), representatives: &representatives) { rep in
                rowsEqual(row, Int(rep))
            }
        }
    }
}

func _makeRowEquality(_ column: Column) throws -> any _RowEquality {
    struct Visitor: PrimitiveColumnVisitor {
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> (any _RowEquality)? {
            (c as? any _GroupablePrimitive)?._rowEquality()
        }
    }
    if let equality = try column.visitPrimitive(Visitor()) ?? nil { return equality }
    switch column {
    case .boolean(let c):
        return _ClosureEquality { a, b in c.isNull(a) == c.isNull(b) && (c.isNull(a) || c.values._bit(a) == c.values._bit(b)) }
    case .utf8(let c), .binary(let c):
        return _BinaryEquality(column: c)
    case .dictionary:
        guard case .utf8(let plain) = Kernels.decodeDictionary(column) else { throw ColumnarError(.internalError, "dictionary decode") }
        return _BinaryEquality(column: plain)
    default:
        throw ColumnarError(.unsupported, "grouping by \(column.dataType) is not supported")
    }
}

protocol _GroupablePrimitive {
    func _rowEquality() -> any _RowEquality
}

extension PrimitiveColumn: _GroupablePrimitive where Value: _HashableBits {
    func _rowEquality() -> any _RowEquality { _PrimitiveEquality(column: self) }
}

struct _ClosureEquality: _RowEquality {
    let equal: (Int, Int) -> Bool
    func rowsEqual(_ a: Int, _ b: Int) -> Bool { equal(a, b) }
}

struct _PrimitiveEquality<T: _HashableBits>: _RowEquality {
    let column: PrimitiveColumn<T>

    func rowsEqual(_ a: Int, _ b: Int) -> Bool {
        let (na, nb) = (column.isNull(a), column.isNull(b))
        if na || nb { return na == nb }
        return T.sqlEquals(column.values[a], column.values[b])
    }

    func assignGroups(_ hashes: UnsafeBufferPointer<UInt64>, _ table: inout _GroupTable, _ ids: inout [UInt32], _ representatives: inout [UInt32]) {
        let validity = column.validity
        column.values.withUnsafeBufferPointer { v in
            ids.withUnsafeMutableBufferPointer { out in
                for row in 0..<hashes.count {
                    let present = validity?._bit(row) ?? true
                    let value = v[row]
                    out[row] = table.findOrInsert(hash: hashes[row], row: UInt32(truncatingIfNeeded: row), representatives: &representatives) { rep in
                        let other = Int(rep)
                        let otherPresent = validity?._bit(other) ?? true
                        return present == otherPresent && (!present || T.sqlEquals(v[other], value))
                    }
                }
            }
        }
    }
}

struct _BinaryEquality: _RowEquality {
    let column: BinaryColumn

    func rowsEqual(_ a: Int, _ b: Int) -> Bool {
        let (na, nb) = (column.isNull(a), column.isNull(b))
        if na || nb { return na == nb }
        return column._withBuffers { o, bytes in
            let (s, e, t, f) = (Int(o[a]), Int(o[a + 1]), Int(o[b]), Int(o[b + 1]))
            return e - s == f - t && _compareBytes(bytes + s, e - s, bytes + t, f - t) == 0
        }
    }

    func assignGroups(_ hashes: UnsafeBufferPointer<UInt64>, _ table: inout _GroupTable, _ ids: inout [UInt32], _ representatives: inout [UInt32]) {
        let validity = column.validity
        column._withBuffers { o, bytes in
            ids.withUnsafeMutableBufferPointer { out in
                for row in 0..<hashes.count {
                    let present = validity?._bit(row) ?? true
                    let (s, e) = (Int(o[row]), Int(o[row + 1]))
                    out[row] = table.findOrInsert(hash: hashes[row], row: UInt32(truncatingIfNeeded: row), representatives: &representatives) { rep in
                        let other = Int(rep)
                        let otherPresent = validity?._bit(other) ?? true
                        guard present == otherPresent else { return false }
                        if !present { return true }
                        let (t, f) = (Int(o[other]), Int(o[other + 1]))
                        return e - s == f - t && _compareBytes(bytes + s, e - s, bytes + t, f - t) == 0
                    }
                }
            }
        }
    }
}

/// Several key columns grouped one by one on their specialised paths, then combined column by
/// column: the group numbers so far times the next column's group count plus its group number,
/// grouped again (so the numbers stay below the row count and never overflow). No per-row
/// comparison through existentials, and each string compared once, in its own column.
/// Numbering (first appearance) and representatives are those of the combined key, as the
/// general path gives.
func _groupByCombinedIDs(_ columns: [Column]) throws -> GroupIDs? {
    let count = columns[0].count
    guard count > 0, count < Int(UInt32.max), columns.allSatisfy({ $0.count == count }) else { return nil }
    guard var current = try _groupSingleColumn(columns[0]) else { return nil }
    for column in columns.dropFirst() {
        guard let next = try _groupSingleColumn(column) else { return nil }
        let width = Int64(max(next.groupCount, 1))
        let combined = ValueBuffer<Int64>(unsafeUninitializedCount: count) { out in
            current.ids.withUnsafeBufferPointer { left in
                next.ids.withUnsafeBufferPointer { right in
                    for row in 0..<count { out[row] = Int64(left[row]) &* width &+ Int64(right[row]) }
                }
            }
        }
        guard let regrouped = try _groupSingleColumn(.int64(PrimitiveColumn(values: combined))) else { return nil }
        current = regrouped
    }
    return current
}
