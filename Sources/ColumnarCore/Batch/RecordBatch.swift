/// Columns of equal length under a ``Schema``: the unit that flows between scans, operators and
/// printers. Batches are values; slicing and projecting share the column buffers.
///
/// ```swift
/// let batch = try RecordBatch(
///     schema: Schema([Field("id", .int64), Field("name", .utf8)]),
///     columns: [.int64(PrimitiveColumn([1, 2])), .utf8(BinaryColumn(["ada", "grace"]))])
/// batch.count               // 2
/// batch.column(named: "name")
/// ```
public struct RecordBatch: Sendable {
    /// The fields, one per column.
    public let schema: Schema
    /// The columns, each with ``count`` rows.
    public let columns: [Column]
    /// The number of rows.
    public let count: Int

    /// Creates a batch, checking that columns match the schema.
    ///
    /// - Parameters:
    ///   - schema: One field per column.
    ///   - columns: The data.
    ///   - count: The row count, needed only when there are no columns.
    /// - Throws: ``ColumnarError`` when the column count, a column length, a type or a non-null
    ///   constraint disagrees with the schema.
    public init(schema: Schema, columns: [Column], count: Int? = nil) throws {
        guard schema.count == columns.count else {
            throw ColumnarError(.invalidArgument, "schema has \(schema.count) fields but \(columns.count) columns were given")
        }
        let rows = count ?? columns.first?.count ?? 0
        for (field, column) in zip(schema.fields, columns) {
            guard column.count == rows else {
                throw ColumnarError(.lengthMismatch, "column \(field.name) has \(column.count) rows, expected \(rows)")
            }
            guard column.dataType == field.dataType else {
                throw ColumnarError(.typeMismatch, "column \(field.name) is \(column.dataType), schema says \(field.dataType)")
            }
            if !field.isNullable, column.nullCount > 0 {
                throw ColumnarError(.invalidArgument, "column \(field.name) is NOT NULL but has \(column.nullCount) nulls")
            }
        }
        self.schema = schema
        self.columns = columns
        self.count = rows
    }

    init(unchecked schema: Schema, columns: [Column], count: Int) {
        self.schema = schema
        self.columns = columns
        self.count = count
    }

    /// An empty batch of `schema`.
    public static func empty(_ schema: Schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: schema.fields.map { try Column($0.dataType, []) }, count: 0)
    }

    /// The column called `name`, or `nil`.
    public func column(named name: String) -> Column? {
        schema.firstIndex(of: name).map { columns[$0] }
    }

    /// A zero-copy view of the rows in `range`.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice out of bounds")
        return RecordBatch(unchecked: schema, columns: columns.map { $0.slice(range) }, count: range.count)
    }

    /// The batch with only the columns at `indices`, in that order.
    ///
    /// - Throws: ``ColumnarError`` `.indexOutOfBounds` for a bad index.
    public func project(_ indices: [Int]) throws -> RecordBatch {
        for i in indices where i < 0 || i >= columns.count {
            throw ColumnarError(.indexOutOfBounds, "column index \(i) outside 0..<\(columns.count)")
        }
        return RecordBatch(
            unchecked: Schema(indices.map { schema.fields[$0] }, metadata: schema.metadata),
            columns: indices.map { columns[$0] },
            count: count
        )
    }

    /// The batch with only the named columns, in that order.
    ///
    /// - Throws: ``ColumnarError`` `.invalidArgument` naming an unknown column and the valid ones.
    public func project(names: [String]) throws -> RecordBatch {
        let indices = try names.map { name in
            guard let i = schema.firstIndex(of: name) else {
                throw ColumnarError(.invalidArgument, "no column \(name); columns are \(schema.fields.map(\.name).joined(separator: ", "))")
            }
            return i
        }
        return try project(indices)
    }
}
