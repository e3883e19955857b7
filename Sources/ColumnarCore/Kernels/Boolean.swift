extension Kernels {
    /// SQL `AND` with three-valued logic: false wins over null, null wins over true.
    ///
    /// | AND   | true  | false | null  |
    /// |-------|-------|-------|-------|
    /// | true  | true  | false | null  |
    /// | false | false | false | false |
    /// | null  | null  | false | null  |
    ///
    /// - Throws: ``ColumnarError`` `.lengthMismatch`.
    /// - Complexity: O(*n*/64).
    public static func and(_ lhs: BooleanColumn, _ rhs: BooleanColumn) throws -> BooleanColumn {
        try _requireSameLength(lhs.count, rhs.count, "AND")
        let values = Bitmap.zip(lhs.values, rhs.values) { $0 & $1 }
        guard lhs.validity != nil || rhs.validity != nil else { return BooleanColumn(values: values) }
        let va = lhs.validity ?? Bitmap(repeating: true, count: lhs.count)
        let vb = rhs.validity ?? Bitmap(repeating: true, count: rhs.count)
        // Known when both sides are, or when either side is a known false.
        let known = Bitmap.zip4(lhs.values, va, rhs.values, vb) { a, va, b, vb in (va & vb) | (va & ~a) | (vb & ~b) }
        return BooleanColumn(values: values, validity: known)
    }

    /// SQL `OR` with three-valued logic: true wins over null, null wins over false.
    ///
    /// - Throws: ``ColumnarError`` `.lengthMismatch`.
    /// - Complexity: O(*n*/64).
    public static func or(_ lhs: BooleanColumn, _ rhs: BooleanColumn) throws -> BooleanColumn {
        try _requireSameLength(lhs.count, rhs.count, "OR")
        guard lhs.validity != nil || rhs.validity != nil else {
            return BooleanColumn(values: Bitmap.zip(lhs.values, rhs.values) { $0 | $1 })
        }
        let va = lhs.validity ?? Bitmap(repeating: true, count: lhs.count)
        let vb = rhs.validity ?? Bitmap(repeating: true, count: rhs.count)
        let values = Bitmap.zip4(lhs.values, va, rhs.values, vb) { a, va, b, vb in (a & va) | (b & vb) }
        let known = Bitmap.zip4(lhs.values, va, rhs.values, vb) { a, va, b, vb in (va & vb) | (va & a) | (vb & b) }
        return BooleanColumn(values: values, validity: known)
    }

    /// SQL `NOT`: null stays null.
    ///
    /// - Complexity: O(*n*/64).
    public static func not(_ operand: BooleanColumn) -> BooleanColumn {
        BooleanColumn(values: operand.values.mapWords { ~$0 }, validity: operand.validity)
    }

    /// `IS NULL`: true exactly where the column is null; never null itself.
    public static func isNull(_ column: Column) -> BooleanColumn {
        guard let validity = column.validity else {
            return BooleanColumn(values: Bitmap(repeating: false, count: column.count))
        }
        return BooleanColumn(values: validity.mapWords { ~$0 })
    }

    /// `IS NOT NULL`: true exactly where the column has a value; never null itself.
    public static func isNotNull(_ column: Column) -> BooleanColumn {
        BooleanColumn(values: column.validity?.realigned() ?? Bitmap(repeating: true, count: column.count))
    }
}

extension Bitmap {
    /// Combines the words of two equal-length bitmaps.
    @inlinable
    static func zip(_ a: Bitmap, _ b: Bitmap, _ combine: (UInt64, UInt64) -> UInt64) -> Bitmap {
        a.withUnsafeWords { x in
            b.withUnsafeWords { y in
                Bitmap(unsafeUninitializedCount: a.count) { out in
                    for i in 0..<out.count { out[i] = combine(x[i], y[i]) }
                }
            }
        }
    }

    /// Combines the words of four equal-length bitmaps.
    @inlinable
    static func zip4(_ a: Bitmap, _ b: Bitmap, _ c: Bitmap, _ d: Bitmap, _ combine: (UInt64, UInt64, UInt64, UInt64) -> UInt64) -> Bitmap {
        a.withUnsafeWords { p in
            b.withUnsafeWords { q in
                c.withUnsafeWords { r in
                    d.withUnsafeWords { s in
                        Bitmap(unsafeUninitializedCount: a.count) { out in
                            for i in 0..<out.count { out[i] = combine(p[i], q[i], r[i], s[i]) }
                        }
                    }
                }
            }
        }
    }
}
