#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore

/// Arrays in JSON columns: a list column when every element of every array in the column is a
/// scalar of one kind (integers, numbers, strings or booleans; nulls anywhere), the JSON text
/// otherwise.
enum JSONArrays {
    enum ElementKind: Sendable, Hashable {
        case integer, float, text, boolean
        /// Mixed kinds, or nested arrays and objects: the column stays JSON text.
        case json

        var dataType: DataType {
            switch self {
            case .integer: return .int64
            case .float: return .float64
            case .text, .json: return .utf8
            case .boolean: return .boolean
            }
        }
    }

    /// One scalar element: its body's range and its kind.
    struct Element {
        var start: Int
        var end: Int
        var quoted: Bool
        var escaped: Bool
        var null: Bool
    }

    /// The elements of the array spanning `p[start..<end]` (`[` to `]`), or nil when one is
    /// nested.
    static func elements(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into out: inout [Element]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var k = start + 1
        let last = end - 1
        while k < last {
            let b = p[k]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2C { k += 1; continue }
            if b == 0x5B || b == 0x7B { return false }
            if b == 0x22 {
                k += 1
                let s = k
                var escaped = false
                while k < last && p[k] != 0x22 { if p[k] == 0x5C { escaped = true; k += 1 }; k += 1 }
                out.append(Element(start: s, end: k, quoted: true, escaped: escaped, null: false))
                k += 1
                continue
            }
            let s = k
            while k < last && !(p[k] == 0x2C || p[k] == 0x20 || p[k] == 0x0A || p[k] == 0x0D || p[k] == 0x09) { k += 1 }
            let isNull = k - s == 4 && memcmp(p + s, "null", 4) == 0
            out.append(Element(start: s, end: k, quoted: false, escaped: false, null: isNull))
        }
        return true
    }

    /// The kind every element of the column's arrays agrees on.
    static func kind(_ column: SpanColumn, rows: Range<Int>, arrayFlag: UInt8) -> ElementKind {
        var kind: ElementKind?
        var items: [Element] = []
        for i in rows {
            let f = column.flags[i * column.stride]
            if f & SpanColumn.missing != 0 { continue }
            guard f & arrayFlag != 0 else { return .json }
            let s = Int(column.starts[i * column.stride]), e = Int(column.ends[i * column.stride])
            guard Self.elements(column.bytes, s, e, into: &items) else { return .json }
            for element in items where !element.null {
                let p = column.bytes + element.start, n = element.end - element.start
                let this: ElementKind
                if element.quoted { this = .text }
                else if TextValues.boolean(p, n) != nil { this = .boolean }
                else if TextValues.int64(p, n) != nil { this = .integer }
                else if TextValues.double(p, n) != nil { this = .float }
                else { return .json }
                switch (kind, this) {
                case (nil, _): kind = this
                case (.integer?, .float), (.float?, .integer): kind = .float
                case (let k?, _) where k == this: break
                default: return .json
                }
            }
        }
        return kind ?? .text
    }

    /// The column as a list of `kind` elements.
    static func list(_ column: SpanColumn, rows: Range<Int>, kind: ElementKind) -> Column {
        var offsets = ValueBufferBuilder<Int32>(capacity: rows.count + 1)
        var validity = BitmapBuilder(capacity: rows.count)
        var nullCount = 0
        var ints = ValueBufferBuilder<Int64>()
        var doubles = ValueBufferBuilder<Double>()
        var bools: [Bool?] = []
        var texts: [String?] = []
        var childValidity = BitmapBuilder()
        var childNulls = 0
        var count: Int32 = 0
        offsets.append(0)
        var items: [Element] = []
        var scratch: [UInt8] = []
        for i in rows {
            let f = column.flags[i * column.stride]
            if f & SpanColumn.missing != 0 {
                validity.append(false)
                nullCount += 1
                offsets.append(count)
                continue
            }
            validity.append(true)
            let s = Int(column.starts[i * column.stride]), e = Int(column.ends[i * column.stride])
            _ = Self.elements(column.bytes, s, e, into: &items)
            for element in items {
                let p = column.bytes + element.start, n = element.end - element.start
                childValidity.append(!element.null)
                if element.null { childNulls += 1 }
                switch kind {
                case .integer: ints.append(element.null ? 0 : TextValues.int64(p, n) ?? 0)
                case .float: doubles.append(element.null ? 0 : TextValues.double(p, n) ?? 0)
                case .boolean: bools.append(element.null ? nil : TextValues.boolean(p, n))
                case .text, .json:
                    if element.null { texts.append(nil) } else {
                        scratch.removeAll(keepingCapacity: true)
                        if element.escaped { JSONText.unescape(p, n, into: &scratch) } else { scratch.append(contentsOf: UnsafeBufferPointer(start: p, count: n)) }
                        texts.append(String(decoding: scratch, as: UTF8.self))
                    }
                }
                count += 1
            }
            offsets.append(count)
        }
        let childValid = childNulls > 0 ? childValidity.finish() : nil
        let child: Column
        switch kind {
        case .integer: child = .int64(PrimitiveColumn(values: ints.finish(), validity: childValid))
        case .float: child = .float64(PrimitiveColumn(values: doubles.finish(), validity: childValid))
        case .boolean: child = .boolean(BooleanColumn(bools))
        case .text, .json: child = .utf8(BinaryColumn(texts))
        }
        return .list(ListColumn(element: Field("element", kind.dataType), offsets: offsets.finish(), child: child,
                                validity: nullCount > 0 ? validity.finish() : nil))
    }
}
