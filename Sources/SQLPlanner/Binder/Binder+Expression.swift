import ColumnarCore

extension Binder {
    /// Binds an expression against `scope`. `hook` may bind a sub-expression itself (the
    /// aggregate binder maps group keys and aggregate calls to its output columns).
    func bindExpression(
        _ e: SQLExpression, scope: Scope, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)? = nil
    ) throws(SQLError) -> BoundExpression {
        if let hook, let bound = try hook(e) { return bound }
        func recurse(_ x: SQLExpression) throws(SQLError) -> BoundExpression { try bindExpression(x, scope: scope, hook: hook) }
        switch e {
        case .literal(let literal, let position):
            return try bindLiteral(literal, at: position)
        case .column(let parts, let position):
            do {
                let (index, type) = try scope.resolve(parts, at: position, sql: sql)
                return .column(index, type)
            } catch {
                if error.code == .unknownName, let outerScope, let (index, type) = try? outerScope.resolve(parts, at: position, sql: sql) {
                    return .outer(index, type)
                }
                throw error
            }
        case .subquery, .exists, .inSubquery, .quantified:
            return try bindSubqueryExpression(e, scope: scope, hook: hook)
        case .function(let call) where call.over != nil:
            throw error(.syntax, "window function \(call.name) is not allowed here (only in the select list, QUALIFY and ORDER BY)", at: call.position)
        case .function(let call) where _aggregateNames.contains(call.name):
            throw error(.syntax, "aggregate \(call.name) is not allowed here", at: call.position)
        case .unary(.not, let operand, let position):
            let bound = try recurse(operand)
            guard bound.type == .boolean else { throw error(.typeMismatch, "NOT needs a BOOLEAN, found \(bound.type)", at: position) }
            return .not(bound)
        case .unary(.negate, let operand, let position):
            let bound = try recurse(operand)
            if bound.type == .interval { return .function("interval_neg", [bound], .interval) }
            guard bound.type.isNumeric else { throw error(.typeMismatch, "cannot negate \(bound.type)", at: position) }
            if bound.type.isDecimal128, case .decimal128(let p, let s) = bound.type {
                // 0 - d, typed as the kernel computes it (one more digit).
                return .arithmetic(.subtract, .literal(.decimal128(0, precision: p, scale: s), bound.type), bound, .decimal128(precision: Swift.min(38, p + 1), scale: s))
            }
            return .arithmetic(.subtract, .cast(.literal(.int32(0), .int32), bound.type), bound, bound.type)
        case .unary(.plus, let operand, _):
            return try recurse(operand)
        case .binary(let op, .function(let a), .function(let b), let position)
            where a.name == "row" && b.name == "row" && a.over == nil && b.over == nil && _rowComparisonOperators.contains(op):
            guard a.arguments.count == b.arguments.count else {
                throw error(.typeMismatch, "cannot compare rows of \(a.arguments.count) and \(b.arguments.count) values", at: position)
            }
            return try recurse(_rowComparison(op, a.arguments, b.arguments, at: position))
        case .binary(let op, let lhs, let rhs, let position):
            if op == .add || op == .subtract, let temporal = try bindTemporalArithmetic(op, lhs, rhs, scope: scope, hook: hook, at: position) {
                return temporal
            }
            let left = try recurse(lhs)
            let right = try recurse(rhs)
            switch op {
            case .and, .or:
                guard left.type == .boolean, right.type == .boolean else {
                    throw error(.typeMismatch, "\(op.rawValue) needs BOOLEAN operands, found \(left.type) and \(right.type)", at: position)
                }
                return op == .and ? .and(left, right) : .or(left, right)
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                let (l, r) = try coerce(left, right, op.rawValue, at: position)
                let kernel: ComparisonOperator = switch op {
                case .equal: .equal
                case .notEqual: .notEqual
                case .less: .less
                case .lessOrEqual: .lessOrEqual
                case .greater: .greater
                default: .greaterOrEqual
                }
                return .compare(kernel, l, r)
            case .divide where !integerDivision && left.type.isInteger && right.type.isInteger && left.type != .interval:
                // DuckDB: `/` between integers is true division, in DOUBLE.
                return .arithmetic(.divide, .cast(left, .float64), .cast(right, .float64), .float64)
            case .integerDivide:
                guard left.type.isNumeric || left.isUntypedNull, right.type.isNumeric || right.isUntypedNull else {
                    throw error(.typeMismatch, "cannot apply // to \(left.type) and \(right.type)", at: position)
                }
                if left.type.isInteger && right.type.isInteger {
                    let (l, r) = try coerce(left, right, op.rawValue, at: position)
                    return .arithmetic(.divide, l, r, l.type)
                }
                return .function("floor", [.arithmetic(.divide, .cast(left, .float64), .cast(right, .float64), .float64)], .float64)
            case .add, .subtract, .multiply, .divide, .modulo:
                if let interval = try bindIntervalArithmetic(op, left, right, at: position) { return interval }
                if let decimal = try decimalArithmetic(op, left, right, at: position) { return decimal }
                let (l, r) = try coerce(left, right, op.rawValue, at: position)
                guard l.type.isNumeric else { throw error(.typeMismatch, "cannot apply \(op.rawValue) to \(left.type) and \(right.type)", at: position) }
                let kernel: ArithmeticOperator = switch op {
                case .add: .add
                case .subtract: .subtract
                case .multiply: .multiply
                case .divide: .divide
                default: .remainder
                }
                return .arithmetic(kernel, l, r, l.type)
            case .concat:
                return try bindConcat(left, right, at: position)
            }
        case .isNull(let operand, let negated, _):
            return .isNull(try recurse(operand), negated: negated)
        case .isBoolean(let operand, let value, let negated, let position):
            let bound = try recurse(operand)
            // Numbers and text convert to BOOLEAN first, as DuckDB casts them.
            guard bound.type == .boolean || bound.isUntypedNull || bound.type.isNumeric || bound.type == .utf8 else {
                throw error(.typeMismatch, "IS \(value ? "TRUE" : "FALSE") needs a BOOLEAN, found \(bound.type)", at: position)
            }
            let typed: BoundExpression = bound.type == .boolean ? bound : .cast(bound, .boolean)
            let test: BoundExpression = .isTrue(value ? typed : .not(typed))
            return negated ? .not(test) : test
        case .isDistinctFrom(let lhs, let rhs, let negated, let position):
            let (l, r) = try coerce(try recurse(lhs), try recurse(rhs), "IS DISTINCT FROM", at: position)
            // Not distinct: equal and both present, or both NULL.
            let same = BoundExpression.or(.isTrue(.compare(.equal, l, r)), .and(.isNull(l, negated: false), .isNull(r, negated: false)))
            return negated ? same : .not(same)
        case .between(let value, let low, let high, let negated, let position):
            let v = try recurse(value)
            let (a, lo) = try coerce(v, try recurse(low), "BETWEEN", at: position)
            let (b, hi) = try coerce(v, try recurse(high), "BETWEEN", at: position)
            let inside = BoundExpression.and(.compare(.greaterOrEqual, a, lo), .compare(.lessOrEqual, b, hi))
            return negated ? .not(inside) : inside
        case .inList(let value, let items, let negated, let position):
            let v = try recurse(value)
            // A constant list: the value is computed once and compared with each item.
            let boundItems = try items.map { (item) throws(SQLError) -> BoundExpression in try recurse(item) }
            if !boundItems.isEmpty, boundItems.allSatisfy({ $0.isConstant && !$0.isUntypedNull }), !v.isUntypedNull {
                var type = v.type
                for item in boundItems {
                    guard let common = _commonType(type, item.type) else { throw error(.typeMismatch, "cannot apply IN to \(v.type) and \(item.type)", at: position) }
                    type = common
                }
                let arguments = ([v] + boundItems).map { $0.type == type ? $0 : BoundExpression.cast($0, type) }
                let test = BoundExpression.function("__in", arguments, .boolean)
                return negated ? .not(test) : test
            }
            var equalities: [BoundExpression] = []
            for (item, bound) in zip(items, boundItems) {
                let (l, r) = try coerce(v, bound, "IN", at: item.position)
                equalities.append(.compare(.equal, l, r))
            }
            // A balanced OR: a list of thousands of items stays shallow.
            func balanced(_ low: Int, _ high: Int) -> BoundExpression {
                if high - low == 1 { return equalities[low] }
                let middle = (low + high) / 2
                return .or(balanced(low, middle), balanced(middle, high))
            }
            guard !equalities.isEmpty else { return .literal(.boolean(negated), .boolean) }
            let any = balanced(0, equalities.count)
            return negated ? .not(any) : any
        case .cast(let operand, let typeName, let tryCast, let position):
            let target = try dataType(typeName, at: position)
            let value = try recurse(operand)
            // TRY_CAST: a value that does not convert becomes NULL instead of an error.
            if tryCast && value.type != target && !value.isUntypedNull { return .function("try_cast", [value], target) }
            return .cast(value, target)
        case .caseWhen(let operand, let branches, let otherwise, let position):
            var conditions: [BoundExpression] = []
            var results: [BoundExpression] = []
            let subject = try operand.map { (x) throws(SQLError) -> BoundExpression in try recurse(x) }
            for branch in branches {
                var condition = try recurse(branch.condition)
                if let subject {
                    let (l, r) = try coerce(subject, condition, "CASE", at: position)
                    condition = .compare(.equal, l, r)
                }
                guard condition.type == .boolean else { throw error(.typeMismatch, "WHEN needs a BOOLEAN, found \(condition.type)", at: branch.condition.position) }
                conditions.append(condition)
                results.append(try recurse(branch.result))
            }
            let fallback = try otherwise.map { (x) throws(SQLError) -> BoundExpression in try recurse(x) } ?? .literal(.null, .int32)
            let type = try commonType(of: results + [fallback], at: position)
            return .caseWhen(zip(conditions, results.map { $0.type == type ? $0 : .cast($0, type) }).map { ($0, $1) },
                             otherwise: fallback.type == type ? fallback : .cast(fallback, type), type)
        case .function(let call) where call.over == nil && call.filter == nil && !_aggregateNames.contains(call.name):
            let arguments = try call.arguments.map { (x) throws(SQLError) -> BoundExpression in try recurse(x) }
            return try bindScalarFunction(call, arguments)
        case .like(let value, let pattern, let escape, let insensitive, let negated, let position):
            let escapeBound = try escape.map { (x) throws(SQLError) -> BoundExpression in try recurse(x) }
            return try bindLike(try recurse(value), pattern: try recurse(pattern), escape: escapeBound,
                                caseInsensitive: insensitive, negated: negated, at: position)
        default:
            throw error(.unsupported, "this expression is not supported yet", at: e.position)
        }
    }

    /// Arithmetic with a DECIMAL operand, typed as DuckDB types it: `+` and `-` at the larger
    /// scale with one more digit, `*` adding precisions and scales, `/` and `%` in DOUBLE. Nil
    /// when no operand is a decimal.
    func decimalArithmetic(_ op: SQLBinaryOperator, _ left: BoundExpression, _ right: BoundExpression, at position: SourcePosition) throws(SQLError) -> BoundExpression? {
        func decimalParts(_ t: DataType) -> (Int, Int)? {
            switch t {
            case .decimal128(let p, let s): return (p, s)
            case .int8: return (3, 0)
            case .int16, .uint8: return (5, 0)
            case .int32, .uint16: return (10, 0)
            case .int64, .uint32: return (19, 0)
            default: return nil
            }
        }
        guard left.type.isDecimal128 || right.type.isDecimal128, !left.isUntypedNull, !right.isUntypedNull,
              let (p1, s1) = decimalParts(left.type), let (p2, s2) = decimalParts(right.type) else { return nil }
        func asDecimal(_ e: BoundExpression, _ p: Int, _ s: Int) -> BoundExpression {
            e.type == .decimal128(precision: p, scale: s) ? e : .cast(e, .decimal128(precision: p, scale: s))
        }
        switch op {
        case .add, .subtract:
            let scale = Swift.max(s1, s2)
            let integral = Swift.max(p1 - s1, p2 - s2)
            let operand = Swift.min(38, integral + scale)
            let kernel: ArithmeticOperator = op == .add ? .add : .subtract
            return .arithmetic(kernel, asDecimal(left, operand, scale), asDecimal(right, operand, scale),
                               .decimal128(precision: Swift.min(38, operand + 1), scale: scale))
        case .multiply:
            guard s1 + s2 <= 38 else { return nil }
            return .arithmetic(.multiply, asDecimal(left, p1, s1), asDecimal(right, p2, s2), .decimal128(precision: Swift.min(38, p1 + p2), scale: s1 + s2))
        default:
            let kernel: ArithmeticOperator = op == .divide ? .divide : .remainder
            return .arithmetic(kernel, .cast(left, .float64), .cast(right, .float64), .float64)
        }
    }

    /// The type all of `values` convert to (untyped NULLs take it).
    func commonType(of values: [BoundExpression], at position: SourcePosition) throws(SQLError) -> DataType {
        let typed = values.filter { if case .literal(.null, _) = $0 { return false }; return true }
        var type = typed.first?.type ?? .int32
        for value in typed.dropFirst() {
            guard let common = _commonType(type, value.type) else {
                throw error(.typeMismatch, "cannot combine \(type) and \(value.type)", at: position)
            }
            type = common
        }
        return type
    }

    /// Both operands converted to their common type.
    func coerce(_ a: BoundExpression, _ b: BoundExpression, _ op: String, at position: SourcePosition) throws(SQLError) -> (BoundExpression, BoundExpression) {
        if case .literal(.null, _) = a { return (.cast(a, b.type), b) }
        if case .literal(.null, _) = b { return (a, .cast(b, a.type)) }
        guard let common = _commonType(a.type, b.type) else {
            throw error(.typeMismatch, "cannot apply \(op) to \(a.type) and \(b.type)", at: position)
        }
        return (a.type == common ? a : .cast(a, common), b.type == common ? b : .cast(b, common))
    }

    func bindLiteral(_ literal: SQLLiteral, at position: SourcePosition) throws(SQLError) -> BoundExpression {
        switch literal {
        case .null: return .literal(.null, .int32)
        case .boolean(let b): return .literal(.boolean(b), .boolean)
        case .integer(let digits):
            if let v = Int32(digits) { return .literal(.int32(v), .int32) }
            if let v = Int64(digits) { return .literal(.int64(v), .int64) }
            if let v = Int128(digits), digits.filter({ $0.isNumber }).count <= 38 { return .literal(.decimal128(v, precision: 38, scale: 0), .decimal128(precision: 38, scale: 0)) }
            throw error(.syntax, "integer literal \(digits) is out of range", at: position)
        case .decimal(let text):
            if !text.lowercased().contains("e"), let dot = text.firstIndex(of: ".") {
                let scale = text.distance(from: dot, to: text.endIndex) - 1
                let digits = String(text.filter { $0 != "." })
                let significant = digits.filter { $0.isNumber }.drop { $0 == "0" }.count
                if let unscaled = Int128(digits), significant <= 38 {
                    let precision = Swift.max(Swift.max(significant, scale), 1)
                    return .literal(.decimal128(unscaled, precision: precision, scale: scale), .decimal128(precision: precision, scale: scale))
                }
            }
            guard let value = Double(text) else { throw error(.syntax, "bad number \(text)", at: position) }
            return .literal(.float64(value), .float64)
        case .string(let s): return .literal(.utf8(s), .utf8)
        case .typed(let typeName, let text):
            return .cast(.literal(.utf8(text), .utf8), try dataType(typeName, at: position))
        case .interval(let text, let unit):
            return .literal(.interval(try intervalValue(text, unit: unit, at: position)), .interval)
        case .parameter(let n):
            guard n <= parameters.count else {
                throw error(.syntax, "no value for parameter $\(n) (EXECUTE gave \(parameters.count))", at: position)
            }
            return parameters[n - 1]
        }
    }

    /// The ColumnarCore type of a SQL type name.
    func dataType(_ name: SQLTypeName, at position: SourcePosition?) throws(SQLError) -> DataType {
        let base: DataType
        switch name.name {
        case "BOOLEAN", "BOOL", "LOGICAL": base = .boolean
        case "TINYINT", "INT1": base = .int8
        case "SMALLINT", "INT2", "SHORT", "INT16": base = .int16
        case "INTEGER", "INT", "INT4", "SIGNED", "INT32": base = .int32
        case "BIGINT", "INT8", "LONG", "INT64": base = .int64
        case "UTINYINT", "UINT8": base = .uint8
        case "USMALLINT", "UINT16": base = .uint16
        case "UINTEGER", "UINT32": base = .uint32
        case "UBIGINT", "UINT64": base = .uint64
        case "HUGEINT": base = .decimal128(precision: 38, scale: 0)
        case "REAL", "FLOAT4": base = .float32
        case "DOUBLE", "FLOAT", "FLOAT8": base = .float64
        case "DECIMAL", "NUMERIC", "DEC":
            let precision = name.parameters.first ?? 18
            let scale = name.parameters.count > 1 ? name.parameters[1] : (name.parameters.isEmpty ? 3 : 0)
            guard (1...38).contains(precision), (0...precision).contains(scale) else {
                throw error(.syntax, "DECIMAL(\(precision), \(scale)) is out of range", at: position)
            }
            base = .decimal128(precision: precision, scale: scale)
        case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR", "CHARACTER": base = .utf8
        case "BLOB", "BYTEA", "BINARY", "VARBINARY": base = .binary
        case "DATE": base = .date32
        case "INTERVAL": base = .interval
        case "TIME": base = .time64(.microsecond)
        case "TIMESTAMP", "DATETIME": base = .timestamp(.microsecond, timeZone: nil)
        case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ": base = .timestamp(.microsecond, timeZone: "UTC")
        default:
            throw error(.unsupported, "type \(name) is not supported", at: position)
        }
        return name.isArray ? .list(Field("element", base)) : base
    }
}

/// The column name DuckDB would show for an unaliased expression (near enough for headers).
func _displayName(_ e: SQLExpression) -> String {
    switch e {
    case .column(let parts, _): return parts.last ?? "?"
    case .literal(let literal, _):
        switch literal {
        case .null: return "NULL"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let d), .decimal(let d): return d
        case .string(let s): return "'" + s + "'"
        case .typed(let t, let s): return t.name + " '" + s + "'"
        case .parameter(let n): return "$\(n)"
        case .interval(let s, let unit): return "INTERVAL '" + s + "'" + (unit.map { " " + $0 } ?? "")
        }
    case .function(let call):
        return call.name + "(" + (call.distinct ? "DISTINCT " : "") + call.arguments.map(_displayName).joined(separator: ", ") + ")"
    case .star(let q, _): return (q.map { $0 + "." } ?? "") + "*"
    case .unary(let op, let a, _): return (op == .not ? "NOT " : op.rawValue) + _displayName(a)
    case .binary(let op, let a, let b, _): return "(" + _displayName(a) + " " + op.rawValue + " " + _displayName(b) + ")"
    case .cast(let a, let t, _, _): return "CAST(" + _displayName(a) + " AS " + t.description + ")"
    case .isNull(let a, let negated, _): return "(" + _displayName(a) + (negated ? " IS NOT NULL)" : " IS NULL)")
    case .isBoolean(let a, let value, let negated, _):
        return "(" + _displayName(a) + " IS " + (negated ? "NOT " : "") + (value ? "TRUE)" : "FALSE)")
    case .isDistinctFrom(let a, let b, let negated, _):
        return "(" + _displayName(a) + " IS " + (negated ? "NOT " : "") + "DISTINCT FROM " + _displayName(b) + ")"
    case .between(let a, let low, let high, let negated, _):
        return "(" + _displayName(a) + (negated ? " NOT" : "") + " BETWEEN " + _displayName(low) + " AND " + _displayName(high) + ")"
    case .inList(let a, let items, let negated, _):
        return "(" + _displayName(a) + (negated ? " NOT" : "") + " IN (" + items.map(_displayName).joined(separator: ", ") + "))"
    case .like(let a, let pattern, let escape, let insensitive, let negated, _):
        return "(" + _displayName(a) + (negated ? " NOT" : "") + (insensitive ? " ILIKE " : " LIKE ") + _displayName(pattern)
            + (escape.map { " ESCAPE " + _displayName($0) } ?? "") + ")"
    case .caseWhen(let operand, let branches, let otherwise, _):
        return "CASE" + (operand.map { " " + _displayName($0) } ?? "")
            + branches.map { " WHEN " + _displayName($0.condition) + " THEN " + _displayName($0.result) }.joined()
            + (otherwise.map { " ELSE " + _displayName($0) } ?? "") + " END"
    case .list(let items, _): return "[" + items.map(_displayName).joined(separator: ", ") + "]"
    case .subscriptIndex(let a, let index, _): return _displayName(a) + "[" + _displayName(index) + "]"
    case .subquery, .exists, .inSubquery, .quantified:
        // Subqueries have no short faithful rendering: they match only themselves.
        return "expr"
    }
}

extension DataType {
    /// Whether this is a DECIMAL of up to 38 digits.
    var isDecimal128: Bool {
        if case .decimal128 = self { return true }
        return false
    }
}
