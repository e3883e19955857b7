/// A column of fixed-width values with an optional validity bitmap.
///
/// Null slots hold an unspecified value; kernels compute every slot and then combine validity, so
/// their loops stay branch-free.
///
/// ```swift
/// let ages = PrimitiveColumn<Int64>([31, nil, 45])
/// ages.nullCount   // 1
/// ages[2]          // 45
/// ```
public struct PrimitiveColumn<Value: FixedWidthValue>: Sendable {
    /// The values, one per row, including the unspecified ones under nulls.
    public let values: ValueBuffer<Value>
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?

    /// Creates a column from its buffers.
    ///
    /// - Precondition: `validity`, when given, has `values.count` bits.
    @inlinable
    public init(values: ValueBuffer<Value>, validity: Bitmap? = nil) {
        precondition(validity == nil || validity!.count == values.count, "validity length differs from values")
        self.values = values
        self.validity = validity
    }

    /// Creates a column with no nulls.
    public init(_ values: [Value]) {
        self.init(values: ValueBuffer(values))
    }

    /// Creates a column from optional values; `nil` becomes null.
    public init(_ values: [Value?]) {
        let hasNull = values.contains { $0 == nil }
        self.init(
            values: ValueBuffer(values.map { $0 ?? .zero }),
            validity: hasNull ? Bitmap(values.map { $0 != nil }) : nil
        )
    }

    /// The number of rows.
    @inlinable public var count: Int { values.count }

    /// The number of null rows.
    ///
    /// - Complexity: O(*n*/64).
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// The value at `index`, or `nil` when null.
    @inlinable
    public subscript(index: Int) -> Value? {
        isNull(index) ? nil : values[index]
    }

    /// A zero-copy view of the rows in `range`.
    @inlinable
    public func slice(_ range: Range<Int>) -> PrimitiveColumn {
        PrimitiveColumn(values: values.slice(range), validity: validity?.slice(range))
    }
}

/// A column of booleans, bit-packed, with an optional validity bitmap.
///
/// ```swift
/// let flags = BooleanColumn([true, nil, false])
/// flags[0]   // true
/// ```
public struct BooleanColumn: Sendable {
    /// The values; bits under nulls are unspecified.
    public let values: Bitmap
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?

    /// Creates a column from its bitmaps.
    ///
    /// - Precondition: `validity`, when given, has as many bits as `values`.
    @inlinable
    public init(values: Bitmap, validity: Bitmap? = nil) {
        precondition(validity == nil || validity!.count == values.count, "validity length differs from values")
        self.values = values
        self.validity = validity
    }

    /// Creates a column from optional booleans; `nil` becomes null.
    public init(_ values: [Bool?]) {
        let hasNull = values.contains { $0 == nil }
        self.init(values: Bitmap(values.map { $0 ?? false }), validity: hasNull ? Bitmap(values.map { $0 != nil }) : nil)
    }

    /// The number of rows.
    @inlinable public var count: Int { values.count }

    /// The number of null rows.
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    @inlinable
    public func isNull(_ index: Int) -> Bool {
        guard let validity else { return false }
        return !validity[index]
    }

    /// The value at `index`, or `nil` when null.
    @inlinable
    public subscript(index: Int) -> Bool? {
        isNull(index) ? nil : values[index]
    }

    /// A zero-copy view of the rows in `range`.
    @inlinable
    public func slice(_ range: Range<Int>) -> BooleanColumn {
        BooleanColumn(values: values.slice(range), validity: validity?.slice(range))
    }

    /// The rows that are true (present and set): the SQL meaning of a predicate, where null is
    /// not true.
    ///
    /// - Complexity: O(*n*/64).
    public var trueBits: Bitmap {
        guard let validity else { return values }
        return Bitmap.and(values, validity)!
    }
}
