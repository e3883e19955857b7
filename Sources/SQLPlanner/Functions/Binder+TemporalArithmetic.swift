import ColumnarCore

/// `date ± INTERVAL`, `timestamp ± INTERVAL`, `date - date`, `date ± integer`.
///
/// A constant INTERVAL beside a DATE or TIMESTAMP is applied by a kernel with its parts as
/// constants (months, days, then microseconds). A DATE plus such a constant without a time part
/// stays a DATE (DuckDB returns a TIMESTAMP); with hours, minutes or seconds the DATE becomes a
/// TIMESTAMP first. Every other interval operand goes through `bindIntervalArithmetic`.
extension Binder {
    /// nil when the operands are not of that kind (ordinary arithmetic then applies).
    func bindTemporalArithmetic(
        _ op: SQLBinaryOperator, _ lhs: SQLExpression, _ rhs: SQLExpression, scope: Scope,
        hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)?, at position: SourcePosition
    ) throws(SQLError) -> BoundExpression? {
        let leftInterval = intervalLiteral(lhs)
        let rightInterval = intervalLiteral(rhs)
        // Binding here and again in the caller would be exponential in nesting: only bind
        // operands that may be temporal.
        guard leftInterval != nil || rightInterval != nil || mayBeTemporal(lhs, scope) || mayBeTemporal(rhs, scope) else { return nil }
        if let (text, unit) = leftInterval ?? rightInterval {
            // Two constants: ordinary interval arithmetic.
            if leftInterval != nil && rightInterval != nil { return nil }
            let constant = try intervalValue(text, unit: unit, at: position)
            var value = try bindExpression(leftInterval != nil ? rhs : lhs, scope: scope, hook: hook)
            let timestamp = DataType.timestamp(.microsecond, timeZone: nil)
            switch value.type {
            case _ where value.isUntypedNull: value = .literal(.null, constant.hasTime ? timestamp : .date32)
            case .date32: if constant.hasTime { value = .cast(value, timestamp) }
            case .timestamp: break
            default:
                // An interval, a number or text beside the constant.
                let literal = BoundExpression.literal(.interval(constant), .interval)
                return try bindIntervalArithmetic(op, leftInterval != nil ? literal : value, leftInterval != nil ? value : literal, at: position)
            }
            if leftInterval != nil && op == .subtract {
                throw error(.typeMismatch, "cannot subtract a date or timestamp from an INTERVAL", at: position)
            }
            var interval = _Interval(months: Int(constant.months), days: Int(constant.days), microseconds: constant.microseconds)
            if op == .subtract { interval = interval.negated }
            let parts: [BoundExpression] = [
                .literal(.int64(Int64(interval.months)), .int64), .literal(.int64(Int64(interval.days)), .int64),
                .literal(.int64(interval.microseconds), .int64),
            ]
            return .function("+interval", [value] + parts, value.type)
        }
        let left = try bindExpression(lhs, scope: scope, hook: hook)
        let right = try bindExpression(rhs, scope: scope, hook: hook)
        if let interval = try bindIntervalArithmetic(op, left, right, at: position) { return interval }
        switch (left.type, right.type) {
        case (.timestamp, .timestamp) where op == .subtract:
            return .function("timestamp_difference", [left, right], .interval)
        case (.date32, .date32) where op == .subtract:
            return .function("date_diff_days", [left, right], .int64)
        case (.date32, let t) where t.isInteger:
            return .function(op == .add ? "date_add_days" : "date_sub_days", [left, .cast(right, .int64)], .date32)
        case (let t, .date32) where t.isInteger && op == .add:
            return .function("date_add_days", [right, .cast(left, .int64)], .date32)
        default:
            return nil
        }
    }

    /// The text and unit of an `INTERVAL '…' [unit]` literal.
    private func intervalLiteral(_ e: SQLExpression) -> (String, String?)? {
        if case .literal(.interval(let text, let unit), _) = e { return (text, unit) }
        return nil
    }

    /// Whether `e` may have a DATE or TIMESTAMP type, judged from its syntax and column types.
    private func mayBeTemporal(_ e: SQLExpression, _ scope: Scope) -> Bool {
        let temporalTypes: Set<String> = ["DATE", "TIMESTAMP", "DATETIME", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"]
        switch e {
        case .literal(.typed(let type, _), _): return temporalTypes.contains(type.name)
        case .literal(.interval, _): return true
        case .cast(_, let type, _, _): return temporalTypes.contains(type.name)
        case .column(let parts, let position):
            do {
                switch try scope.resolve(parts, at: position, sql: sql).1 {
                case .date32, .timestamp: return true
                default: return false
                }
            } catch {
                return false
            }
        case .function(let call):
            return ["date_trunc", "datetrunc", "make_date", "current_date", "today", "now", "current_timestamp",
                    "min", "max", "first", "last", "any_value", "arbitrary", "arg_min", "arg_max", "coalesce", "ifnull", "nullif",
                    "greatest", "least"].contains(call.name)
        case .binary(let op, let a, let b, _) where op == .add || op == .subtract:
            return mayBeTemporal(a, scope) || mayBeTemporal(b, scope)
        default:
            return false
        }
    }
}
