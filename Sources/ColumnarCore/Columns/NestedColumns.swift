/// A column where every row is a list of exactly `size` float32 values: the layout of embeddings.
///
/// ```swift
/// let vectors = FixedSizeListColumn(size: 3, values: ValueBuffer<Float>([1, 0, 0, 0, 1, 0]))
/// vectors.count          // 2
/// vectors.vector(at: 1)  // [0, 1, 0]
/// ```
public struct FixedSizeListColumn: Sendable {
    /// The element field (its type is always `float32`).
    public let element: Field
    /// The number of elements in every row.
    public let size: Int
    /// `count × size` values, row after row.
    public let values: ValueBuffer<Float>
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?

    /// Creates a column of `values.count / size` rows.
    ///
    /// - Precondition: `size > 0`, `values.count` is a multiple of `size`, and `element` is a
    ///   `float32` field.
    public init(size: Int, values: ValueBuffer<Float>, validity: Bitmap? = nil, element: Field = Field("item", .float32)) {
        precondition(size > 0 && values.count % size == 0, "values must hold whole rows")
        precondition(element.dataType == .float32, "fixed-size lists hold float32 elements")
        self.element = element
        precondition(validity == nil || validity!.count == values.count / size, "validity length differs from rows")
        self.size = size
        self.values = values
        self.validity = validity
    }

    /// The number of rows.
    public var count: Int { values.count / size }

    /// The number of null rows.
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    public func isNull(_ index: Int) -> Bool { validity.map { !$0[index] } ?? false }

    /// The elements of row `index`.
    public func vector(at index: Int) -> [Float] { Array(values[(index * size)..<((index + 1) * size)]) }

    /// A zero-copy view of the rows in `range`.
    public func slice(_ range: Range<Int>) -> FixedSizeListColumn {
        FixedSizeListColumn(
            size: size,
            values: values.slice((range.lowerBound * size)..<(range.upperBound * size)),
            validity: validity?.slice(range),
            element: element
        )
    }
}

/// A column where every row is a list of any length: 32-bit offsets into one child column.
///
/// ```swift
/// let tags = ListColumn(element: Field("item", .utf8),
///                       offsets: ValueBuffer<Int32>([0, 2, 2, 3]),
///                       child: .utf8(BinaryColumn(["a", "b", "c"])))
/// tags.count // 3: ["a","b"], [], ["c"]
/// ```
public struct ListColumn: Sendable {
    /// The element field (name and type of the child).
    public let element: Field
    /// `count + 1` offsets into ``child``.
    public let offsets: ValueBuffer<Int32>
    /// The elements of every row, concatenated.
    public let child: Column
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?

    /// Creates a list column.
    ///
    /// - Precondition: offsets are non-decreasing and end within `child`.
    public init(element: Field, offsets: ValueBuffer<Int32>, child: Column, validity: Bitmap? = nil) {
        precondition(offsets.count >= 1, "offsets needs count + 1 entries")
        precondition(Int(offsets[offsets.count - 1]) <= child.count, "offsets past the child column")
        precondition(validity == nil || validity!.count == offsets.count - 1, "validity length differs from rows")
        self.element = element
        self.offsets = offsets
        self.child = child
        self.validity = validity
    }

    /// The number of rows.
    public var count: Int { offsets.count - 1 }

    /// The number of null rows.
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    public func isNull(_ index: Int) -> Bool { validity.map { !$0[index] } ?? false }

    /// The elements of row `index`, as a zero-copy slice of the child.
    public func elements(at index: Int) -> Column {
        child.slice(Int(offsets[index])..<Int(offsets[index + 1]))
    }

    /// A zero-copy view of the rows in `range` (the child is shared).
    public func slice(_ range: Range<Int>) -> ListColumn {
        ListColumn(
            element: element,
            offsets: offsets.slice(range.lowerBound..<(range.upperBound + 1)),
            child: child,
            validity: validity?.slice(range)
        )
    }
}

/// A column of rows with named children of equal length.
///
/// ```swift
/// let address = try StructColumn(fields: [Field("city", .utf8), Field("zip", .utf8)],
///                                children: [.utf8(BinaryColumn(["Austin"])), .utf8(BinaryColumn(["73301"]))])
/// ```
public struct StructColumn: Sendable {
    /// The child fields, in order.
    public let fields: [Field]
    /// One column per field, each with ``count`` rows.
    public let children: [Column]
    /// Which rows are present; `nil` means every row is.
    public let validity: Bitmap?
    /// The number of rows (needed when there are no children).
    public let count: Int

    /// Creates a struct column, checking that children match the fields.
    ///
    /// - Throws: ``ColumnarError`` when lengths or types disagree.
    public init(fields: [Field], children: [Column], validity: Bitmap? = nil, count: Int? = nil) throws {
        guard fields.count == children.count else {
            throw ColumnarError(.invalidArgument, "\(fields.count) fields but \(children.count) children")
        }
        let rows = count ?? children.first?.count ?? validity?.count ?? 0
        for (field, child) in zip(fields, children) {
            guard child.count == rows else {
                throw ColumnarError(.lengthMismatch, "child \(field.name) has \(child.count) rows, expected \(rows)")
            }
            guard child.dataType == field.dataType else {
                throw ColumnarError(.typeMismatch, "child \(field.name) is \(child.dataType), field says \(field.dataType)")
            }
        }
        if let validity, validity.count != rows {
            throw ColumnarError(.lengthMismatch, "validity has \(validity.count) bits for \(rows) rows")
        }
        self.fields = fields
        self.children = children
        self.validity = validity
        self.count = rows
    }

    init(uncheckedFields fields: [Field], children: [Column], validity: Bitmap?, count: Int) {
        self.fields = fields
        self.children = children
        self.validity = validity
        self.count = count
    }

    /// The number of null rows.
    public var nullCount: Int { validity.map { count - $0.setCount } ?? 0 }

    /// Whether row `index` is null.
    public func isNull(_ index: Int) -> Bool { validity.map { !$0[index] } ?? false }

    /// A zero-copy view of the rows in `range`.
    public func slice(_ range: Range<Int>) -> StructColumn {
        StructColumn(
            uncheckedFields: fields,
            children: children.map { $0.slice(range) },
            validity: validity?.slice(range),
            count: range.count
        )
    }
}
