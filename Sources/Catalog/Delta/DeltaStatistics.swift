import Dispatch
import Synchronization
import ColumnarCore

/// Per-file statistics of a Delta `add` action: the row count, and per top-level column the
/// smallest and largest value and the number of nulls. Readers use them to skip files.
///
/// Values are written as Delta readers expect: numbers as JSON numbers, text as strings (omitted
/// when longer than 64 bytes, as no exact bound is then written), dates as `yyyy-MM-dd`,
/// timestamps as ISO 8601 in milliseconds (the minimum rounded down and the maximum up, so both
/// stay true bounds). Booleans, binary and nested columns get null counts only.
public struct DeltaFileStatistics: Sendable, Hashable {
    public var numRecords: Int64
    public var minValues: [String: JSONValue]
    public var maxValues: [String: JSONValue]
    public var nullCount: [String: Int64]

    public init(numRecords: Int64, minValues: [String: JSONValue] = [:], maxValues: [String: JSONValue] = [:], nullCount: [String: Int64] = [:]) {
        self.numRecords = numRecords
        self.minValues = minValues
        self.maxValues = maxValues
        self.nullCount = nullCount
    }

    /// The statistics of `batches` (one data file).
    public static func compute(_ batches: [RecordBatch], schema: Schema) -> DeltaFileStatistics {
        var accumulator = Accumulator(schema: schema)
        for batch in batches { accumulator.add(batch) }
        return accumulator.statistics
    }

    /// Statistics gathered batch by batch, so a file's rows need not stay in memory.
    public struct Accumulator: Sendable {
        let schema: Schema
        var rows: Int64 = 0
        var nulls: [Int]
        var low: [Scalar?]
        var high: [Scalar?]

        public init(schema: Schema) {
            self.schema = schema
            nulls = Array(repeating: 0, count: schema.fields.count)
            low = Array(repeating: nil, count: schema.fields.count)
            high = Array(repeating: nil, count: schema.fields.count)
        }

        /// Adds the rows of `batch` (columns in the schema's order); the columns of a large batch
        /// are scanned on several cores.
        public mutating func add(_ batch: RecordBatch) {
            guard batch.count > 0 else { return }
            rows += Int64(batch.count)
            let fields = schema.fields
            let extremes: [(Int, Scalar?, Scalar?)] = _columnsInParallel(fields.count, parallel: batch.count >= 16_384) { k in
                let column = batch.columns[k]
                guard _hasBounds(fields[k].dataType), column.nullCount < column.count else { return (column.nullCount, nil, nil) }
                let low = (try? Kernels.min(column)).flatMap { $0 == .null ? nil : $0 }
                let high = (try? Kernels.max(column)).flatMap { $0 == .null ? nil : $0 }
                return (column.nullCount, low, high)
            }
            for (k, (nullCount, l, h)) in extremes.enumerated() {
                nulls[k] += nullCount
                if let m = l { low[k] = low[k].map { _less(m, $0) ? m : $0 } ?? m }
                if let m = h { high[k] = high[k].map { _less($0, m) ? m : $0 } ?? m }
            }
        }

        public var statistics: DeltaFileStatistics {
            var stats = DeltaFileStatistics(numRecords: rows)
            for (k, field) in schema.fields.enumerated() {
                stats.nullCount[field.name] = Int64(nulls[k])
                if let l = low[k], let value = _json(l, roundUp: false) { stats.minValues[field.name] = value }
                if let h = high[k], let value = _json(h, roundUp: true) { stats.maxValues[field.name] = value }
            }
            return stats
        }
    }

    /// The `stats` JSON text.
    public var jsonText: String {
        func object(_ values: [String: JSONValue]) -> JSONValue { .object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) }
        return JSONValue.object([
            ("numRecords", .int(numRecords)),
            ("minValues", object(minValues)),
            ("maxValues", object(maxValues)),
            ("nullCount", object(nullCount.mapValues { JSONValue.int($0) })),
        ]).text
    }

    /// ``init(jsonText:)`` remembered per data file: a file's statistics never change, and every
    /// scan that skips files by them would otherwise parse every file's text again (for a wide
    /// table that is most of a point query's time). Keyed by the file's path; the text is
    /// compared too (cheap: it is usually the very same string), so a hit is always right. At
    /// most 65,536 files are kept.
    public static func parsed(_ file: DeltaAddFile) -> DeltaFileStatistics? {
        guard let text = file.stats else { return nil }
        if let hit = parsedCache.withLock({ $0[file.path] }), hit.text == text { return hit.stats }
        let stats = DeltaFileStatistics(jsonText: text)
        parsedCache.withLock { cache in
            if cache.count >= 65_536 { cache.removeAll(keepingCapacity: true) }
            cache[file.path] = (text, stats)
        }
        return stats
    }

    private static let parsedCache = Mutex<[String: (text: String, stats: DeltaFileStatistics?)]>([:])

    /// Parses a `stats` text; nil when it has no usable content.
    public init?(jsonText: String) {
        guard let json = try? JSONValue.parse(jsonText), case .object = json else { return nil }
        numRecords = json["numRecords"]?.int64Value ?? -1
        minValues = Dictionary(json["minValues"]?.objectValue ?? [], uniquingKeysWith: { a, _ in a })
        maxValues = Dictionary(json["maxValues"]?.objectValue ?? [], uniquingKeysWith: { a, _ in a })
        var nulls: [String: Int64] = [:]
        for (k, v) in json["nullCount"]?.objectValue ?? [] { if let n = v.int64Value { nulls[k] = n } }
        nullCount = nulls
    }

    /// Whether a file with these statistics may hold a row where `column op value` holds (false
    /// only when the statistics prove it cannot).
    public func mayMatch(column: String, type: DataType, op: ComparisonOperator, value: Scalar) -> Bool {
        if numRecords >= 0, let nulls = nullCount[column], nulls >= numRecords, numRecords > 0 { return false }
        guard let target = _StatValue(value), let lowJSON = minValues[column], let highJSON = maxValues[column],
              let low = _StatValue(json: lowJSON, type: type), let high = _StatValue(json: highJSON, type: type),
              let l = low.order(target), let h = high.order(target) else { return true }
        switch op {
        case .equal: return l <= 0 && h >= 0
        case .notEqual: return !(l == 0 && h == 0)
        case .less: return l < 0
        case .lessOrEqual: return l <= 0
        case .greater: return h > 0
        case .greaterOrEqual: return h >= 0
        }
    }
}

func _hasBounds(_ type: DataType) -> Bool {
    switch type {
    case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .float32, .float64, .decimal128, .utf8, .date32, .timestamp: return true
    default: return false
    }
}

func _less(_ a: Scalar, _ b: Scalar) -> Bool {
    guard let x = _StatValue(a), let y = _StatValue(b), let order = x.order(y) else { return false }
    return order < 0
}

/// A statistic as JSON, or nil when it cannot be written exactly.
func _json(_ value: Scalar, roundUp: Bool) -> JSONValue? {
    switch value {
    case .int8(let v): return .int(v)
    case .int16(let v): return .int(v)
    case .int32(let v): return .int(v)
    case .int64(let v): return .int(v)
    case .uint8(let v): return .int(v)
    case .uint16(let v): return .int(v)
    case .uint32(let v): return .int(v)
    case .float32(let v): return v.isFinite ? .number("\(v)") : nil
    case .float64(let v): return v.isFinite ? .number("\(v)") : nil
    case .decimal128(let v, _, let scale): return .number(_decimalText(v, scale: scale))
    case .utf8(let s): return s.utf8.count <= 64 ? .string(s) : nil
    case .date32(let days): return .string(_dateText(Int64(days)))
    case .timestamp(let v, let unit, let zone):
        let perMilli = Int64(unit.ticksPerSecond) / 1000
        guard perMilli > 0 || unit == .second else { return nil }
        var millis: Int64
        if unit == .second { millis = v.multipliedReportingOverflow(by: 1000).partialValue } else {
            millis = v / perMilli
            if v % perMilli != 0 && (roundUp == (v > 0)) { millis += roundUp ? 1 : -1 }
        }
        return .string(_timestampText(millis: millis, utc: zone != nil))
    default: return nil
    }
}

/// A comparable form of statistics and filter constants.
enum _StatValue {
    case int(Int64)
    case double(Double)
    case text(String)

    init?(_ scalar: Scalar) {
        switch scalar {
        case .int8(let v): self = .int(Int64(v))
        case .int16(let v): self = .int(Int64(v))
        case .int32(let v), .date32(let v): self = .int(Int64(v))
        case .int64(let v): self = .int(v)
        case .uint8(let v): self = .int(Int64(v))
        case .uint16(let v): self = .int(Int64(v))
        case .uint32(let v): self = .int(Int64(v))
        case .float32(let v): self = .double(Double(v))
        case .float64(let v): self = .double(v)
        case .decimal128(let v, _, let scale): self = .double(Double(v) / _pow10(scale))
        case .utf8(let s): self = .text(s)
        case .timestamp(let v, let unit, _): self = .double(Double(v) / Double(unit.ticksPerSecond) * 1000)  // milliseconds
        default: return nil
        }
    }

    init?(json: JSONValue, type: DataType) {
        switch type {
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32:
            guard let v = json.int64Value else { return nil }
            self = .int(v)
        case .float32, .float64, .decimal128:
            guard let v = json.doubleValue else { return nil }
            self = .double(v)
        case .utf8:
            guard let s = json.stringValue else { return nil }
            self = .text(s)
        case .date32:
            guard let s = json.stringValue, let days = _parseDate(s) else { return nil }
            self = .int(days)
        case .timestamp:
            guard let s = json.stringValue, let millis = _parseTimestampMillis(s) else { return nil }
            self = .double(Double(millis))
        default: return nil
        }
    }

    func order(_ other: _StatValue) -> Int? {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (self, other) {
        case (.int(let a), .int(let b)): return cmp(a, b)
        case (.double(let a), .double(let b)): return a.isNaN || b.isNaN ? nil : cmp(a, b)
        case (.int(let a), .double(let b)): return b.isNaN ? nil : cmp(Double(a), b)
        case (.double(let a), .int(let b)): return a.isNaN ? nil : cmp(a, Double(b))
        case (.text(let a), .text(let b)):
            if a.utf8.elementsEqual(b.utf8) { return 0 }
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
        default: return nil
        }
    }
}

func _pow10(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0..<max(0, n) { r *= 10 }
    return r
}

func _decimalText(_ value: Int128, scale: Int) -> String {
    let negative = value < 0
    var digits = String(negative ? (0 - value).magnitude : value.magnitude)
    if scale > 0 {
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
    }
    return (negative ? "-" : "") + digits
}

// MARK: - Calendar (proleptic Gregorian, UTC)

func _pad(_ n: Int64, _ width: Int) -> String {
    let s = String(abs(n))
    return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
}

func _dateText(_ days: Int64) -> String {
    let (y, m, d) = CivilDate.date(fromDays: Int(days))
    return "\(_pad(Int64(y), 4))-\(_pad(Int64(m), 2))-\(_pad(Int64(d), 2))"
}

func _timestampText(millis: Int64, utc: Bool) -> String {
    let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
    let rest = millis - days * 86_400_000
    let h = rest / 3_600_000, mi = rest / 60_000 % 60, s = rest / 1000 % 60, ms = rest % 1000
    return "\(_dateText(days))T\(_pad(h, 2)):\(_pad(mi, 2)):\(_pad(s, 2)).\(_pad(ms, 3))" + (utc ? "Z" : "")
}

func _parseDate(_ text: String) -> Int64? {
    let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
    return Int64(CivilDate.days(year: Int(y), month: Int(m), day: Int(d)))
}

/// `yyyy-MM-ddTHH:mm:ss[.fff…][Z|±hh:mm]` → milliseconds since 1970 (an offset is applied).
func _parseTimestampMillis(_ text: String) -> Int64? {
    let utf8 = Array(text.utf8)
    guard utf8.count >= 19, let days = _parseDate(String(decoding: utf8[0..<10], as: UTF8.self)),
          let h = Int64(String(decoding: utf8[11..<13], as: UTF8.self)), let mi = Int64(String(decoding: utf8[14..<16], as: UTF8.self)),
          let s = Int64(String(decoding: utf8[17..<19], as: UTF8.self)) else { return nil }
    var millis = days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000
    var k = 19
    if k < utf8.count, utf8[k] == UInt8(ascii: ".") {
        k += 1
        var scale: Int64 = 100
        while k < utf8.count, utf8[k] >= 0x30, utf8[k] <= 0x39 {
            millis += Int64(utf8[k] - 0x30) * scale
            scale /= 10
            k += 1
        }
    }
    if k < utf8.count, utf8[k] == UInt8(ascii: "+") || utf8[k] == UInt8(ascii: "-"), utf8.count >= k + 6,
       let oh = Int64(String(decoding: utf8[(k + 1)..<(k + 3)], as: UTF8.self)), let om = Int64(String(decoding: utf8[(k + 4)..<(k + 6)], as: UTF8.self)) {
        let offset = (oh * 60 + om) * 60_000
        millis += utf8[k] == UInt8(ascii: "+") ? -offset : offset
    }
    return millis
}

/// `body(0..<count)` on the available cores when `parallel`, results in order.
func _columnsInParallel<T: Sendable>(_ count: Int, parallel: Bool, _ body: @Sendable (Int) -> T) -> [T] {
    guard parallel, count > 1 else { return (0..<count).map(body) }
    let slots = Mutex<[T?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { k in
        let value = body(k)
        slots.withLock { $0[k] = value }
    }
    return slots.withLock { $0.map { $0! } }
}
