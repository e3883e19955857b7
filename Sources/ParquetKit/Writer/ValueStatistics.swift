#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore

/// Min and max of a range of physical values in the order of the leaf's logical type, as
/// statistics bytes: unsigned integers compare unsigned, decimals as signed big-endian numbers,
/// floats ignore NaN and write a zero minimum as -0.0 and a zero maximum as +0.0, byte arrays
/// compare as unsigned bytes and are truncated to ``maxBytes`` (the maximum rounded up).
struct ValueStatistics {
    var min: [UInt8]
    var max: [UInt8]
    var minIsExact = true
    var maxIsExact = true

    /// The longest min/max written for byte arrays.
    static let maxBytes = 64

    /// Statistics of `values[range]`, or nil when there is no orderable value (empty, all NaN,
    /// INT96, or booleans' trivially known range is still reported).
    init?(_ values: PhysicalColumn, _ range: Range<Int>, leaf: WriterLeaf) {
        guard !range.isEmpty else { return nil }
        let unsigned: Bool = {
            if case .integer(_, let signed)? = leaf.logicalType { return !signed }
            return false
        }()
        switch values {
        case .boolean(let bits, _):
            var sawTrue = false
            var sawFalse = false
            for i in range { if bits[i] { sawTrue = true } else { sawFalse = true } }
            min = [sawFalse ? 0 : 1]
            max = [sawTrue ? 1 : 0]
        case .int32(let v):
            let (lo, hi) = unsigned ? ValueStatistics.extremes(v, range) { UInt32(bitPattern: $0) } : ValueStatistics.extremes(v, range) { $0 }
            min = ValueStatistics.littleEndian(lo)
            max = ValueStatistics.littleEndian(hi)
        case .int64(let v):
            let (lo, hi) = unsigned ? ValueStatistics.extremes(v, range) { UInt64(bitPattern: $0) } : ValueStatistics.extremes(v, range) { $0 }
            min = ValueStatistics.littleEndian(lo)
            max = ValueStatistics.littleEndian(hi)
        case .float(let v):
            guard let (lo, hi) = ValueStatistics.floatExtremes(v, range) else { return nil }
            min = ValueStatistics.littleEndian(lo == 0 ? -Float.zero : lo)
            max = ValueStatistics.littleEndian(hi == 0 ? Float.zero : hi)
        case .double(let v):
            guard let (lo, hi) = ValueStatistics.floatExtremes(v, range) else { return nil }
            min = ValueStatistics.littleEndian(lo == 0 ? -Double.zero : lo)
            max = ValueStatistics.littleEndian(hi == 0 ? Double.zero : hi)
        case .bytes(let c):
            // Compare in place (no array per value), then copy the two winners.
            let (lo, hi) = c.offsets.withUnsafeBufferPointer { offsets in
                c.bytes.withUnsafeBytes { bytes -> (Range<Int>, Range<Int>) in
                    func less(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                        let common = Swift.min(a.count, b.count)
                        let order = common == 0 ? 0 : memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, common)
                        return order != 0 ? order < 0 : a.count < b.count
                    }
                    var lo = Int(offsets[range.lowerBound])..<Int(offsets[range.lowerBound + 1])
                    var hi = lo
                    for i in range.dropFirst() {
                        let value = Int(offsets[i])..<Int(offsets[i + 1])
                        if less(value, lo) { lo = value } else if less(hi, value) { hi = value }
                    }
                    return (lo, hi)
                }
            }
            let low = Array(c.bytes[lo])
            let high = Array(c.bytes[hi])
            if leaf.logicalType == .string {
                // Text bounds must stay valid UTF-8: cut at a character boundary, round up by
                // code point.
                (min, minIsExact) = low.count > ValueStatistics.maxBytes ? (ValueStatistics.utf8Prefix(low), false) : (low, true)
                (max, maxIsExact) = ValueStatistics.truncatedUTF8UpperBound(high)
            } else {
                (min, minIsExact) = low.count > ValueStatistics.maxBytes ? (Array(low.prefix(ValueStatistics.maxBytes)), false) : (low, true)
                (max, maxIsExact) = ValueStatistics.truncatedUpperBound(high)
            }
        case .fixed(let bytes, let width):
            guard leaf.physicalType == .fixedLenByteArray, width > 0 else { return nil }  // INT96 has no defined order
            let isDecimal: Bool = { if case .decimal? = leaf.logicalType { return true }; return false }()
            func value(_ i: Int) -> [UInt8] { Array(bytes[(i * width)..<((i + 1) * width)]) }
            func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
                if isDecimal, (a[0] & 0x80) != (b[0] & 0x80) { return a[0] & 0x80 != 0 }  // negative first
                return a.lexicographicallyPrecedes(b)
            }
            var lo = value(range.lowerBound)
            var hi = lo
            for i in range.dropFirst() {
                let v = value(i)
                if less(v, lo) { lo = v }
                if less(hi, v) { hi = v }
            }
            min = lo
            max = hi
        }
    }

    static func extremes<T, K: Comparable>(_ values: ValueBuffer<T>, _ range: Range<Int>, _ key: (T) -> K) -> (T, T) {
        values.withUnsafeBufferPointer { v in
            var lo = v[range.lowerBound]
            var hi = lo
            var loKey = key(lo)
            var hiKey = loKey
            for i in range.dropFirst() {
                let k = key(v[i])
                if k < loKey { lo = v[i]; loKey = k }
                if k > hiKey { hi = v[i]; hiKey = k }
            }
            return (lo, hi)
        }
    }

    static func floatExtremes<T: BinaryFloatingPoint>(_ values: ValueBuffer<T>, _ range: Range<Int>) -> (T, T)? {
        values.withUnsafeBufferPointer { v in
            var lo = T.infinity
            var hi = -T.infinity
            var any = false
            for i in range where !v[i].isNaN {
                any = true
                if v[i] < lo { lo = v[i] }
                if v[i] > hi { hi = v[i] }
            }
            return any ? (lo, hi) : nil
        }
    }

    static func littleEndian<T: BitwiseCopyable>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }

    /// `value`, or a prefix of at most ``maxBytes`` bytes increased in its last byte (carrying),
    /// which is still an upper bound; a prefix of only 0xFF bytes cannot be rounded up, so the
    /// whole value is kept.
    static func truncatedUpperBound(_ value: [UInt8]) -> ([UInt8], Bool) {
        guard value.count > maxBytes else { return (value, true) }
        var prefix = Array(value.prefix(maxBytes))
        while let last = prefix.last {
            if last < 0xFF {
                prefix[prefix.count - 1] = last + 1
                return (prefix, false)
            }
            prefix.removeLast()
        }
        return (value, true)
    }

    /// The longest prefix of at most ``maxBytes`` bytes that ends on a UTF-8 character boundary.
    static func utf8Prefix(_ value: [UInt8]) -> [UInt8] {
        guard value.count > maxBytes else { return value }
        var cut = maxBytes
        while cut > 0 && value[cut] & 0xC0 == 0x80 { cut -= 1 }
        return Array(value[..<cut])
    }

    /// Like ``truncatedUpperBound(_:)`` for text: the prefix is cut on a character boundary and
    /// its last character replaced by the next code point (surrogates skipped), so the bound is
    /// valid UTF-8 and still above every value with that prefix.
    static func truncatedUTF8UpperBound(_ value: [UInt8]) -> ([UInt8], Bool) {
        guard value.count > maxBytes else { return (value, true) }
        var scalars = Array(String(decoding: utf8Prefix(value), as: UTF8.self).unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }
            if let bumped = Unicode.Scalar(next) {
                scalars.append(bumped)
                var text = String.UnicodeScalarView()
                text.append(contentsOf: scalars)
                return (Array(String(text).utf8), false)
            }
        }
        return (value, true)
    }
}
