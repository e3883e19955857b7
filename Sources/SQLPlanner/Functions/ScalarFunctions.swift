import ColumnarCore

/// The scalar functions of this first engine slice.
func _scalarFunction(_ name: String, _ values: [Column], type: DataType, rows: Int) throws -> Column {
    switch name {
    case "coalesce":
        var result = values.last!
        for value in values.dropLast().reversed() { result = try _choose(Kernels.isNotNull(value), value, result) }
        return result
    case "nullif":
        let equal = try Kernels.compare(values[0], .equal, values[1])
        let nulls = try Column.nulls(values[0].dataType, count: rows)
        return try _choose(equal, nulls, values[0])
    case "abs":
        let negative = try Kernels.compare(values[0], .less, try Column(values[0].dataType, [Scalar](repeating: try _zero(values[0].dataType), count: rows)))
        let negated = try Kernels.arithmetic(try Column(values[0].dataType, [Scalar](repeating: try _zero(values[0].dataType), count: rows)), .subtract, values[0])
        return try _choose(negative, negated, values[0])
    default:
        throw SQLError(.unsupported, "function \(name) is not supported yet")
    }
}

func _zero(_ type: DataType) throws -> Scalar {
    try Kernels.cast(.int32(PrimitiveColumn([0])), to: type).scalar(at: 0)
}
