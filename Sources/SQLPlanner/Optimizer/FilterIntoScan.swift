import ColumnarCore

/// Comparisons of a scanned column with a constant, in a filter right above a scan, are handed
/// to the scan as ``SQLScanFilter``s so the table can skip data (Parquet row groups and pages).
/// The filter stays: the table may return rows that do not match.
enum FilterIntoScan {
    static func apply(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .filter(.scan(let name, let table, var request), let condition) where request.columns == nil:
            for conjunct in condition.conjuncts {
                if let filter = scanFilter(conjunct) { request.filters.append(filter) }
            }
            return .filter(.scan(name: name, table: table, request: request), condition)
        default:
            return plan.mapInputs(apply)
        }
    }

    static func scanFilter(_ e: BoundExpression) -> SQLScanFilter? {
        guard case .compare(let op, let a, let b) = e else { return nil }
        if case .column(let i, let t) = a, let value = constant(b, t) { return SQLScanFilter(column: i, op: op, value: value) }
        if case .column(let i, let t) = b, let value = constant(a, t) { return SQLScanFilter(column: i, op: op.flipped, value: value) }
        return nil
    }

    /// The value of a constant expression of type `type`.
    static func constant(_ e: BoundExpression, _ type: DataType) -> Scalar? {
        guard e.isConstant, e.type == type, let batch = try? RecordBatch.single(), let column = try? e.evaluate(batch) else { return nil }
        let value = column.scalar(at: 0)
        return value == .null ? nil : value
    }
}

extension ComparisonOperator {
    /// The operator with its operands swapped (`a < b` is `b > a`).
    var flipped: ComparisonOperator {
        switch self {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return self
        }
    }
}
