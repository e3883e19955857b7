import ColumnarCore
import Testing

// Helpers shared by the ColumnarCore suites: a seeded generator, short column constructors,
// readers that turn results back into Swift optionals, and an error matcher.

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny seeded generator, so every random test
/// replays exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Column {
    static func i8(_ values: [Int8?]) -> Column { .int8(PrimitiveColumn(values)) }
    static func i32(_ values: [Int32?]) -> Column { .int32(PrimitiveColumn(values)) }
    static func i64(_ values: [Int64?]) -> Column { .int64(PrimitiveColumn(values)) }
    static func f32(_ values: [Float?]) -> Column { .float32(PrimitiveColumn(values)) }
    static func f64(_ values: [Double?]) -> Column { .float64(PrimitiveColumn(values)) }
    static func text(_ values: [String?]) -> Column { .utf8(BinaryColumn(values)) }
    static func bools(_ values: [Bool?]) -> Column { .boolean(BooleanColumn(values)) }
    static func dates(_ days: [Int32?]) -> Column { .date32(PrimitiveColumn(days)) }
    static func decimals(_ unscaled: [Int128?], precision: Int, scale: Int) -> Column {
        .decimal128(PrimitiveColumn(unscaled), precision: precision, scale: scale)
    }
    static func micros(_ ticks: [Int64?], timeZone: String? = nil) -> Column {
        .timestamp(PrimitiveColumn(ticks), .microsecond, timeZone: timeZone)
    }
    static func dictionaryOf(_ values: [String?]) -> Column { .dictionary(dictionaryEncoded(values)) }

    /// A column of `values` that is a slice starting at row `offset` of a longer column, so its
    /// buffers and bitmaps do not start at position 0. The rows around it alternate null and
    /// `filler`.
    static func sliced<T>(at offset: Int, _ values: [T?], filler: T, _ make: ([T?]) -> Column) -> Column {
        let around = { (n: Int) in (0..<n).map { $0 % 2 == 0 ? filler : nil } as [T?] }
        let full = make(around(offset) + values + around(5))
        return full.slice(offset..<(offset + values.count))
    }

    /// Every row as a `Bool?` (for boolean columns).
    var booleans: [Bool?] {
        scalars.map { scalar -> Bool? in
            if case .boolean(let b) = scalar { return b }
            return nil
        }
    }

    /// Every row as text (`nil` for null) for utf8 and dictionary columns.
    var strings: [String?] {
        scalars.map { scalar -> String? in
            if case .utf8(let s) = scalar { return s }
            return nil
        }
    }
}

/// A dictionary column with one entry per distinct value, numbered by first appearance.
func dictionaryEncoded(_ values: [String?]) -> DictionaryColumn {
    var entries: [String] = []
    var positions: [String: Int32] = [:]
    var keys: [Int32?] = []
    for value in values {
        guard let value else { keys.append(nil); continue }
        if let index = positions[value] {
            keys.append(index)
        } else {
            positions[value] = Int32(entries.count)
            keys.append(Int32(entries.count))
            entries.append(value)
        }
    }
    return DictionaryColumn(indices: PrimitiveColumn(keys), dictionary: BinaryColumn(entries))
}

extension BooleanColumn {
    /// Every row as a `Bool?`.
    var optionals: [Bool?] { (0..<count).map { self[$0] } }
}

extension PrimitiveColumn {
    /// Every row as an optional value.
    var optionals: [Value?] { (0..<count).map { self[$0] } }
}

extension ValueBuffer {
    var array: [Element] { Array(self) }
}

/// Runs `body`, expects a ``ColumnarError`` with `code` (and, when given, `row`), and returns it.
@discardableResult
func expectColumnarError<R>(
    _ code: ColumnarError.Code,
    row: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> R
) -> ColumnarError? {
    let error = #expect(throws: ColumnarError.self, sourceLocation: sourceLocation) { _ = try body() }
    guard let error else { return nil }
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    if let row { #expect(error.row == row, "\(error)", sourceLocation: sourceLocation) }
    return error
}

/// The three SQL truth values, for tables of boolean logic.
let truthValues: [Bool?] = [true, false, nil]
