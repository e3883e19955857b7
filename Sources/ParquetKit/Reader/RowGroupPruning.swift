import ColumnarCore

/// A filter the reader can check against row-group statistics to skip row groups that cannot
/// hold a matching row: the hook the SQL engine pushes simple predicates through.
///
/// ```swift
/// let recent = ParquetPredicate.and([.compare("year", .greaterOrEqual, .int32(2024)), .isNotNull("email")])
/// let groups = try reader.rowGroups(matching: recent)   // only these need decoding
/// ```
public indirect enum ParquetPredicate: Sendable {
    /// `column op value`; the value must have the column's ColumnarCore type.
    case compare(String, ComparisonOperator, Scalar)
    /// `column IS NULL`.
    case isNull(String)
    /// `column IS NOT NULL`.
    case isNotNull(String)
    /// `column IN (values…)`.
    case inList(String, [Scalar])
    /// Every predicate holds.
    case and([ParquetPredicate])
    /// At least one predicate holds.
    case or([ParquetPredicate])
}

extension ParquetFileReader {
    /// The row groups that may contain rows matching `predicate`: those whose statistics do
    /// not rule it out. Conservative — a group without usable statistics is always kept.
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` for an unknown column.
    public func rowGroups(matching predicate: ParquetPredicate) throws(ParquetError) -> [Int] {
        var kept: [Int] = []
        for index in metadata.rowGroups.indices where try mayMatch(predicate, rowGroup: index) { kept.append(index) }
        return kept
    }

    func mayMatch(_ predicate: ParquetPredicate, rowGroup: Int) throws(ParquetError) -> Bool {
        switch predicate {
        case .and(let parts):
            for part in parts where !(try mayMatch(part, rowGroup: rowGroup)) { return false }
            return true
        case .or(let parts):
            for part in parts where try mayMatch(part, rowGroup: rowGroup) { return true }
            return parts.isEmpty
        case .isNull(let name), .isNotNull(let name), .compare(let name, _, _), .inList(let name, _):
            let (stats, rows, leaf) = try statistics(name, rowGroup)
            guard let stats else { return true }
            return try mayMatch(predicate, statistics: stats, rows: rows, leaf: leaf)
        }
    }

    /// Whether a leaf predicate may hold for some value described by `stats` over `rows` rows.
    func mayMatch(_ predicate: ParquetPredicate, statistics stats: ColumnStatistics, rows: Int64, leaf: LeafColumn) throws(ParquetError) -> Bool {
        switch predicate {
        case .and(let parts):
            for part in parts where !(try mayMatch(part, statistics: stats, rows: rows, leaf: leaf)) { return false }
            return true
        case .or(let parts):
            for part in parts where try mayMatch(part, statistics: stats, rows: rows, leaf: leaf) { return true }
            return parts.isEmpty
        case .isNull:
            guard let nulls = stats.nullCount else { return true }
            return nulls > 0
        case .isNotNull:
            guard let nulls = stats.nullCount else { return true }
            return nulls < rows
        case .inList(let name, let values):
            for value in values where try mayMatch(.compare(name, .equal, value), statistics: stats, rows: rows, leaf: leaf) { return true }
            return false
        case .compare(_, let op, let value):
            if let nulls = stats.nullCount, nulls >= rows, rows > 0 { return false }  // all null: no comparison holds
            guard let bounds = bounds(stats, leaf) else { return true }
            guard let low = _order(bounds.min, value), let high = _order(bounds.max, value) else { return true }
            switch op {
            case .equal: return low <= 0 && high >= 0
            case .notEqual: return !(low == 0 && high == 0)
            case .less: return low < 0
            case .lessOrEqual: return low <= 0
            case .greater: return high > 0
            case .greaterOrEqual: return high >= 0
            }
        }
    }

    /// The chunk statistics, row count and leaf of a flat top-level column.
    func statistics(_ name: String, _ rowGroup: Int) throws(ParquetError) -> (ColumnStatistics?, Int64, LeafColumn) {
        guard let position = leaves.firstIndex(where: { $0.path == [name] }) else {
            throw ParquetError(code: .invalidArgument, message: "no flat column \(name) to prune on", context: .init(filePath: source.name))
        }
        let group = metadata.rowGroups[rowGroup]
        guard position < group.columns.count else { return (nil, group.numRows, leaves[position]) }
        return (group.columns[position].statistics, group.numRows, leaves[position])
    }

    /// Min and max decoded to the column's type. The legacy (signed-order) fields are used only
    /// where signed order is the type's order; NaN bounds are unusable.
    func bounds(_ stats: ColumnStatistics, _ leaf: LeafColumn) -> (min: Scalar, max: Scalar)? {
        guard let type = try? leaf.columnarType() else { return nil }
        let signedOrderIsRight: Bool
        switch type {
        case .int8, .int16, .int32, .int64, .date32, .timestamp, .time64, .float32, .float64: signedOrderIsRight = true
        default: signedOrderIsRight = false
        }
        let minBytes = stats.minValue ?? (signedOrderIsRight ? stats.legacyMin : nil)
        let maxBytes = stats.maxValue ?? (signedOrderIsRight ? stats.legacyMax : nil)
        guard let minBytes, let maxBytes,
              let low = _decodeStatistic(minBytes, leaf: leaf, type: type),
              let high = _decodeStatistic(maxBytes, leaf: leaf, type: type) else { return nil }
        return (low, high)
    }
}

/// One PLAIN-encoded statistic (no length prefix) as a scalar of `type`, when representable.
func _decodeStatistic(_ bytes: [UInt8], leaf: LeafColumn, type: DataType) -> Scalar? {
    func little(_ count: Int) -> UInt64? {
        guard bytes.count == count else { return nil }
        return bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
    }
    switch (leaf.element.type, type) {
    case (.int32?, .int8): return little(4).flatMap { Int8(exactly: Int32(truncatingIfNeeded: $0)) }.map(Scalar.int8)
    case (.int32?, .int16): return little(4).flatMap { Int16(exactly: Int32(truncatingIfNeeded: $0)) }.map(Scalar.int16)
    case (.int32?, .int32): return little(4).map { .int32(Int32(truncatingIfNeeded: $0)) }
    case (.int32?, .uint32): return little(4).map { .uint32(UInt32(truncatingIfNeeded: $0)) }
    case (.int32?, .date32): return little(4).map { .date32(Int32(truncatingIfNeeded: $0)) }
    case (.int64?, .int64): return little(8).map { .int64(Int64(bitPattern: $0)) }
    case (.int64?, .uint64): return little(8).map { .uint64($0) }
    case (.int64?, .timestamp(let unit, let zone)): return little(8).map { .timestamp(Int64(bitPattern: $0), unit, timeZone: zone) }
    case (.float?, .float32):
        return little(4).map { Float(bitPattern: UInt32(truncatingIfNeeded: $0)) }.flatMap { $0.isNaN ? nil : .float32($0) }
    case (.double?, .float64):
        return little(8).map { Double(bitPattern: $0) }.flatMap { $0.isNaN ? nil : .float64($0) }
    case (.byteArray?, .utf8): return .utf8(String(decoding: bytes, as: UTF8.self))
    default: return nil
    }
}

/// The order of two scalars of one type (negative, zero, positive), or nil when they cannot be
/// compared (different types, or text that is not valid UTF-8 on both sides).
func _order(_ a: Scalar, _ b: Scalar) -> Int? {
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.int8(let x), .int8(let y)): return cmp(x, y)
    case (.int16(let x), .int16(let y)): return cmp(x, y)
    case (.int32(let x), .int32(let y)), (.date32(let x), .date32(let y)): return cmp(x, y)
    case (.int64(let x), .int64(let y)): return cmp(x, y)
    case (.uint32(let x), .uint32(let y)): return cmp(x, y)
    case (.uint64(let x), .uint64(let y)): return cmp(x, y)
    case (.timestamp(let x, let u1, _), .timestamp(let y, let u2, _)) where u1 == u2: return cmp(x, y)
    case (.float32(let x), .float32(let y)): return cmp(x, y)
    case (.float64(let x), .float64(let y)): return cmp(x, y)
    case (.utf8(let x), .utf8(let y)):
        // Byte order, as Parquet orders UTF-8 statistics.
        if x.utf8.elementsEqual(y.utf8) { return 0 }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
    default: return nil
    }
}
