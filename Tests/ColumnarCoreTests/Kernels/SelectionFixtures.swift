import ColumnarCore

/// Column kinds for the filter and take suites: each can make row *i* as a scalar (null every
/// fifth row from row 2) and a column of any run of rows, so sliced inputs are easy to build.
enum SelectionKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case int64, float64, boolean, utf8, binary, decimal, date, timestamp, dictionary
    case fixedSizeList, listOfInts, listOfStrings, structure

    var description: String { rawValue }

    var dataType: DataType {
        switch self {
        case .int64: return .int64
        case .float64: return .float64
        case .boolean: return .boolean
        case .utf8, .dictionary: return .utf8
        case .binary: return .binary
        case .decimal: return .decimal128(precision: 20, scale: 3)
        case .date: return .date32
        case .timestamp: return .timestamp(.microsecond, timeZone: "UTC")
        case .fixedSizeList: return .fixedSizeList(Field("item", .float32, nullable: false), size: 3)
        case .listOfInts: return .list(Field("item", .int32))
        case .listOfStrings: return .list(Field("item", .utf8))
        case .structure: return .struct([Field("n", .int64), Field("s", .utf8)])
        }
    }

    /// Row `i`: distinct enough that a wrong row never passes for the right one.
    func row(_ i: Int) -> Scalar {
        if i % 5 == 2 { return .null }
        switch self {
        case .int64: return .int64(Int64(i) * 1_000 - 7)
        case .float64: return .float64(Double(i) / 4)
        case .boolean: return .boolean(i % 3 == 0)
        case .utf8, .dictionary: return .utf8(i % 4 == 0 ? "" : "row-\(i % 23)-" + String(repeating: "x", count: i % 11))
        case .binary: return .binary([UInt8(i & 0xFF), 0, UInt8((i * 7) & 0xFF)])
        case .decimal: return .decimal128(Int128(i) * 1_000_000_000_007, precision: 20, scale: 3)
        case .date: return .date32(Int32(i) - 50)
        case .timestamp: return .timestamp(Int64(i) * 86_400_000_001, .microsecond, timeZone: "UTC")
        case .fixedSizeList: return .list([.float32(Float(i)), .float32(-Float(i)), .float32(0.5)])
        case .listOfInts: return .list((0..<(i % 4)).map { .int32(Int32(i * 10 + $0)) } + (i % 7 == 0 ? [.null] : []))
        case .listOfStrings: return .list((0..<(i % 3)).map { .utf8("e\(i).\($0)") })
        case .structure: return .struct(["n": i % 6 == 0 ? .null : .int64(Int64(i)), "s": .utf8("s\(i)")])
        }
    }

    func rows(_ range: Range<Int>) -> [Scalar] { range.map(row) }

    /// A column of rows `range`.
    func column(_ range: Range<Int>) throws -> Column {
        let scalars = rows(range)
        if self == .dictionary {
            return .dictionaryOf(scalars.map { if case .utf8(let s) = $0 { return s } else { return nil } })
        }
        return try Column(dataType, scalars)
    }

    /// Rows `0..<count` as a slice that starts `offset` rows into a longer column (rows before
    /// and after the slice come from other positions of the same generator).
    func column(count: Int, slicedAt offset: Int) throws -> Column {
        if offset == 0 { return try column(0..<count) }
        let full = try SelectionKind.shifted(self, offset: offset, count: count)
        return full.slice(offset..<(offset + count))
    }

    private static func shifted(_ kind: SelectionKind, offset: Int, count: Int) throws -> Column {
        // Rows -offset..<0 and count..<count+7 are stand-ins taken from far away rows.
        let before = (0..<offset).map { kind.row(1_000 + $0) }
        let after = (0..<7).map { kind.row(2_000 + $0) }
        let scalars = before + kind.rows(0..<count) + after
        if kind == .dictionary {
            return .dictionaryOf(scalars.map { if case .utf8(let s) = $0 { return s } else { return nil } })
        }
        return try Column(kind.dataType, scalars)
    }
}

/// Masks for filter tests, as optionals (nil is a null mask row).
enum MaskPattern: String, CaseIterable, Sendable, CustomStringConvertible {
    /// True, null, false repeating: no two adjacent selected rows.
    case mixed
    /// 130 trues (two whole words and more), then alternating with nulls.
    case longRuns
    /// Three rows in four, some null: dense words that are not all set.
    case dense
    /// Every row.
    case allTrue
    /// No row; nulls included.
    case noneTrue

    var description: String { rawValue }

    func mask(_ count: Int) -> [Bool?] {
        (0..<count).map { i in
            switch self {
            case .mixed: return i % 3 == 0 ? true : i % 3 == 1 ? nil : false
            case .longRuns: return i < 130 ? true : i % 2 == 0 ? nil : true
            case .dense: return i % 4 == 3 ? false : i % 8 == 1 ? nil : true
            case .allTrue: return true
            case .noneTrue: return i % 2 == 0 ? nil : false
            }
        }
    }
}

extension BooleanColumn {
    /// A mask from optionals whose null rows carry a set value bit (a filter must still skip them).
    static func mask(_ values: [Bool?]) -> BooleanColumn {
        let hasNull = values.contains { $0 == nil }
        return BooleanColumn(values: Bitmap(values.map { $0 ?? true }), validity: hasNull ? Bitmap(values.map { $0 != nil }) : nil)
    }
}
