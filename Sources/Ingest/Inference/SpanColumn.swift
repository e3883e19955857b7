#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore

/// How quoted text is escaped in the source.
enum EscapeKind: Sendable, Hashable {
    /// CSV with doubled quotes (`""`).
    case doubledQuote(UInt8)
    /// CSV with a backslash before the escaped byte.
    case backslash(UInt8)
    /// JSON string escapes (`\n`, `\"`, `\u00e9`).
    case json
}

/// The texts read as null, compared as bytes.
struct NullMatcher: Sendable {
    private let tokens: [[UInt8]]
    private let maxLength: Int
    /// Bit `b % 64` set when some token starts with byte `b`: most values are ruled out by their
    /// first byte without a comparison.
    private let firstBytes: UInt64

    init(_ tokens: Set<String>) {
        self.tokens = tokens.map { Array($0.utf8) }.filter { !$0.isEmpty }
        maxLength = self.tokens.map(\.count).max() ?? 0
        firstBytes = self.tokens.reduce(0) { $0 | (1 << UInt64($1[0] & 63)) }
    }

    @inline(__always)
    func matches(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n > 0, n <= maxLength, firstBytes & (1 << UInt64(p[0] & 63)) != 0 else { return false }
        for token in tokens where token.count == n {
            if token.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, n) }) == 0 { return true }
        }
        return false
    }
}

/// One column's values in the source bytes: a start, an end and flags per row, `stride` apart
/// (CSV rows hold every column's fields side by side; JSON columns are gathered one by one).
struct SpanColumn {
    let bytes: UnsafePointer<UInt8>
    let starts: UnsafePointer<UInt32>
    let ends: UnsafePointer<UInt32>
    let flags: UnsafePointer<UInt8>
    let stride: Int
    let count: Int
    let escape: EscapeKind
    let nulls: NullMatcher

    static let quoted: UInt8 = 1
    static let escaped: UInt8 = 2
    static let missing: UInt8 = 4
    /// A JSON value that is not a string (a number, `true`): compared as text, never unescaped.
    static let bare: UInt8 = 8

    /// Whether row `i` is null; `text` says whether the column is text (where a quoted empty
    /// field is the empty string rather than null).
    @inline(__always)
    func isNull(_ i: Int, text: Bool) -> Bool {
        let k = i * stride
        let f = flags[k]
        if f & Self.missing != 0 { return true }
        let n = Int(ends[k] &- starts[k])
        if n == 0 { return f & Self.quoted == 0 || !text }
        return nulls.matches(bytes + Int(starts[k]), n)
    }

    /// The raw bytes of row `i` (escapes not undone).
    @inline(__always)
    func raw(_ i: Int) -> (UnsafePointer<UInt8>, Int) {
        let k = i * stride
        return (bytes + Int(starts[k]), Int(ends[k] &- starts[k]))
    }

    @inline(__always)
    func isEscaped(_ i: Int) -> Bool { flags[i * stride] & Self.escaped != 0 }

    /// Infers over rows `range`.
    func infer(_ range: Range<Int>, into inference: inout ColumnInference) {
        for i in range {
            if isNull(i, text: false) { inference.nulls += 1; continue }
            if inference.candidates == 0 { inference.values += 1; continue }
            if isEscaped(i) {
                // Escaped text is never a number or date; the first one makes the column text.
                inference.values += 1
                inference.candidates = 0
                continue
            }
            let (p, n) = raw(i)
            inference.observe(p, n)
        }
    }

    /// A failure to parse a value as the column's type.
    struct Mismatch: Error {
        var row: Int
        var text: String
    }

    /// The values of rows `range` as a column of `type`.
    ///
    /// - Parameters:
    ///   - strict: Accepts only what inference accepts for the type (a decimal's scale is the
    ///     column's, or 0); otherwise a decimal of a smaller scale is widened (a forced type).
    func convert(_ range: Range<Int>, as type: ResolvedType, strict: Bool = false) throws(Mismatch) -> Column {
        switch type {
        case .text: return .utf8(text(range))
        case .boolean:
            var values = BitmapBuilder(capacity: range.count)
            var validity = BitmapBuilder(capacity: range.count)
            var nullCount = 0
            for i in range {
                if isNull(i, text: false) { values.append(false); validity.append(false); nullCount += 1; continue }
                let (q, m) = raw(i)
                let (p, n) = TextValues.trim(q, m)
                guard let v = TextValues.boolean(p, n) else { throw mismatch(i) }
                values.append(v)
                validity.append(true)
            }
            return .boolean(BooleanColumn(values: values.finish(), validity: nullCount > 0 ? validity.finish() : nil))
        case .integer:
            return .int64(try primitive(range) { p, n in TextValues.int64(p, n) })
        case .float:
            return .float64(try primitive(range) { p, n in TextValues.double(p, n) })
        case .decimal(let precision, let scale):
            let column: PrimitiveColumn<Int128> = try primitive(range) { p, n in
                guard let d = TextValues.decimal(p, n), d.scale <= scale, !strict || d.scale == 0 || d.scale == scale,
                      d.integerDigits <= precision - scale else { return nil }
                var v = d.value
                for _ in d.scale..<scale { v *= 10 }
                return v
            }
            return .decimal128(column, precision: precision, scale: scale)
        case .date(let form):
            return .date32(try primitive(range) { p, n in TextValues.date(p, n, form) })
        case .timestamp(let form, let zoned, let nanos):
            let column: PrimitiveColumn<Int64> = try primitive(range) { p, n in
                if let t = TextValues.timestamp(p, n, form) {
                    guard t.zoned == zoned else { return nil }
                    if nanos {
                        let (s, o) = t.seconds.multipliedReportingOverflow(by: 1_000_000_000)
                        return o ? nil : s + Int64(t.nanoseconds)
                    }
                    guard t.fractionDigits <= 6 else { return nil }
                    return t.seconds * 1_000_000 + Int64(t.nanoseconds / 1000)
                }
                // A date alone is midnight.
                guard let days = TextValues.date(p, n, form) else { return nil }
                return Int64(days) * 86_400 * (nanos ? 1_000_000_000 : 1_000_000)
            }
            return .timestamp(column, nanos ? .nanosecond : .microsecond, timeZone: zoned ? "UTC" : nil)
        }
    }

    private func mismatch(_ i: Int) -> Mismatch {
        var buffer: [UInt8] = []
        appendText(i, to: &buffer)
        return Mismatch(row: i, text: String(decoding: buffer.prefix(200), as: UTF8.self))
    }

    /// The validity of a column whose first null is at `firstNull` (rows before it are valid).
    private struct LazyValidity {
        var bits: BitmapBuilder?
        var nulls = 0

        @inline(__always)
        mutating func null(at offset: Int, capacity: Int) {
            if bits == nil {
                var builder = BitmapBuilder(capacity: capacity)
                builder.append(true, count: offset)
                bits = builder
            }
            bits!.append(false)
            nulls += 1
        }

        @inline(__always)
        mutating func valid() { bits?.append(true) }

        mutating func finish() -> Bitmap? { nulls > 0 ? bits?.finish() : nil }
    }

    @inline(__always)
    private func primitive<V: FixedWidthValue>(_ range: Range<Int>, _ parse: (UnsafePointer<UInt8>, Int) -> V?) throws(Mismatch) -> PrimitiveColumn<V> {
        var validity = LazyValidity()
        var failure: Int?
        // Values are written in place: one allocation, no per-value capacity check.
        let values = ValueBuffer<V>(unsafeUninitializedCount: range.count) { out in
            for (k, i) in range.enumerated() {
                if isNull(i, text: false) {
                    out[k] = V.zero
                    validity.null(at: k, capacity: range.count)
                    continue
                }
                let (q, m) = raw(i)
                let (p, n) = TextValues.trim(q, m)
                guard !isEscaped(i), let v = parse(p, n) else {
                    failure = i
                    for j in k..<range.count { out[j] = V.zero }
                    return
                }
                out[k] = v
                validity.valid()
            }
        }
        if let failure { throw mismatch(failure) }
        return PrimitiveColumn(values: values, validity: validity.finish())
    }

    /// The text of rows `range`, escapes undone: the bytes copied in place into one buffer.
    func text(_ range: Range<Int>) -> BinaryColumn {
        var total = 0
        for i in range { total += Int(ends[i * stride] &- starts[i * stride]) }
        var validity = LazyValidity()
        var scratch: [UInt8] = []
        var written = 0
        // Escapes only shorten a value: `total` bytes (and one spare) are room enough.
        var bytes = ValueBufferBuilder<UInt8>(capacity: total + 1)
        var offsets = ValueBufferBuilder<Int32>(capacity: range.count + 1)
        offsets.appendUninitialized(count: range.count + 1) { offsetsOut in
            offsetsOut[0] = 0
            bytes.appendUninitialized(count: total + 1) { out in
                let base = out.baseAddress!
                for (k, i) in range.enumerated() {
                    if isNull(i, text: true) {
                        validity.null(at: k, capacity: range.count)
                    } else {
                        validity.valid()
                        if isEscaped(i) {
                            scratch.removeAll(keepingCapacity: true)
                            appendText(i, to: &scratch)
                            scratch.withUnsafeBufferPointer { if $0.count > 0 { (base + written).update(from: $0.baseAddress!, count: $0.count) } }
                            written += scratch.count
                        } else {
                            let (p, n) = raw(i)
                            if n > 0 { (base + written).update(from: p, count: n) }
                            written += n
                        }
                    }
                    offsetsOut[k + 1] = Int32(truncatingIfNeeded: written)
                }
                // The unused tail (escapes undone, the spare byte) is dropped below.
                (base + written).initialize(repeating: 0, count: total + 1 - written)
            }
        }
        bytes.removeLast(bytes.count - written)
        return BinaryColumn(offsets: offsets.finish(), bytes: bytes.finish(), validity: validity.finish())
    }

    /// Appends the text of row `i` with its escapes undone.
    func appendText(_ i: Int, to out: inout [UInt8]) {
        let (p, n) = raw(i)
        guard isEscaped(i) else { out.append(contentsOf: UnsafeBufferPointer(start: p, count: n)); return }
        var k = 0
        switch escape {
        case .doubledQuote(let quote):
            while k < n {
                out.append(p[k])
                k += (p[k] == quote && k + 1 < n && p[k + 1] == quote) ? 2 : 1
            }
        case .backslash:
            while k < n {
                if p[k] == 0x5C && k + 1 < n { out.append(p[k + 1]); k += 2 } else { out.append(p[k]); k += 1 }
            }
        case .json:
            JSONText.unescape(p, n, into: &out)
        }
    }
}
