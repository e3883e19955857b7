#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised operations over whole columns: comparisons, arithmetic, boolean logic, selection,
/// casts, hashing, sorting and aggregation.
///
/// Every kernel propagates nulls the way SQL does and reports failures (overflow, division by
/// zero, bad casts) as ``ColumnarError`` instead of trapping. Kernels are synchronous and
/// single-threaded; callers parallelise over batches.
///
/// ```swift
/// let a = Column.int64(PrimitiveColumn([1, 2, nil]))
/// let b = Column.int64(PrimitiveColumn([1, 5, 3]))
/// let equal = try Kernels.compare(a, .equal, b)   // [true, false, NULL]
/// ```
public enum Kernels {}

// MARK: - Internal helpers shared by the kernels

/// Packs `predicate(i)` for `i` in `0..<count` into a bitmap, 64 results per word.
@inlinable @inline(__always)
func _packBits(count: Int, _ predicate: (Int) -> Bool) -> Bitmap {
    Bitmap(unsafeUninitializedCount: count) { words in
        let full = count >> 6
        var base = 0
        for w in 0..<full {
            var word: UInt64 = 0
            for j in 0..<64 {
                word |= (predicate(base &+ j) ? 1 : 0) << UInt64(j)
            }
            words[w] = word
            base &+= 64
        }
        let tail = count & 63
        if tail != 0 {
            var word: UInt64 = 0
            for j in 0..<tail {
                word |= (predicate(base &+ j) ? 1 : 0) << UInt64(j)
            }
            words[full] = word
        }
    }
}

/// Lexicographic byte comparison (UTF-8 byte order equals code point order): negative, zero or
/// positive like `memcmp`, with the shorter string first on a common prefix.
@inlinable @inline(__always)
func _compareBytes(_ a: UnsafeRawPointer, _ aCount: Int, _ b: UnsafeRawPointer, _ bCount: Int) -> Int {
    let common = min(aCount, bCount)
    if common > 0 {
        let result = memcmp(a, b, common)
        if result != 0 { return Int(result) }
    }
    return aCount - bCount
}

@inlinable @inline(__always)
func _copyBytes(_ destination: UnsafeMutableRawPointer, _ source: UnsafeRawPointer, _ count: Int) {
    memcpy(destination, source, count)
}

/// Throws `.lengthMismatch` unless both operands have the same number of rows.
@inlinable
func _requireSameLength(_ lhs: Int, _ rhs: Int, _ operation: String) throws {
    guard lhs == rhs else {
        throw ColumnarError(.lengthMismatch, "\(operation) needs operands of equal length, got \(lhs) and \(rhs)")
    }
}

extension BinaryColumn {
    /// Calls `body` with pointers to the offsets and bytes (valid only inside `body`).
    @inlinable
    func _withBuffers<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeRawPointer) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { offsets in
            try bytes.withUnsafeBytes { bytes in
                try body(offsets, bytes.baseAddress!)
            }
        }
    }
}
