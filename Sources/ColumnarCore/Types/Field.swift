/// A named, typed slot in a schema or in a nested type.
///
/// ```swift
/// let email = Field("email", .utf8)
/// let id = Field("id", .int64, nullable: false)
/// ```
public struct Field: Hashable, Sendable {
    /// The column name. Names are compared exactly (case-sensitive).
    public var name: String
    /// The logical type of the values.
    public var dataType: DataType
    /// Whether the column may contain nulls.
    public var isNullable: Bool
    /// Free-form key-value metadata (e.g. a Parquet field id under `"field_id"`).
    public var metadata: [String: String]

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: The column name.
    ///   - dataType: The logical type.
    ///   - nullable: Whether nulls are allowed; `true` by default.
    ///   - metadata: Key-value metadata; empty by default.
    public init(_ name: String, _ dataType: DataType, nullable: Bool = true, metadata: [String: String] = [:]) {
        self.name = name
        self.dataType = dataType
        self.isNullable = nullable
        self.metadata = metadata
    }
}

/// The ordered fields of a record batch or table, with key-value metadata.
///
/// ```swift
/// let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8)])
/// schema.firstIndex(of: "name") // 1
/// ```
public struct Schema: Hashable, Sendable {
    /// The fields, in column order.
    public var fields: [Field]
    /// Schema-level key-value metadata.
    public var metadata: [String: String]

    /// Creates a schema from fields and optional metadata.
    public init(_ fields: [Field], metadata: [String: String] = [:]) {
        self.fields = fields
        self.metadata = metadata
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// The position of the first field called `name`, or `nil`.
    ///
    /// - Complexity: O(*n*) in the number of fields.
    public func firstIndex(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The first field called `name`, or `nil`.
    public func field(named name: String) -> Field? {
        firstIndex(of: name).map { fields[$0] }
    }
}

extension Schema: CustomStringConvertible {
    /// One line per field: `name TYPE [NOT NULL]`.
    public var description: String {
        fields.map { "\($0.name) \($0.dataType)\($0.isNullable ? "" : " NOT NULL")" }.joined(separator: "\n")
    }
}
