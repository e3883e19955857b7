import ColumnarCore

extension LogicalPlan {
    /// The operator at the root of this plan, in one line.
    var operatorDescription: String {
        switch self {
        case .scan(let name, _, let request):
            var text = "SCAN \(name) [\(schema.fields.map(\.name).joined(separator: ", "))]"
            if !request.filters.isEmpty { text += " filters: " + request.filters.map { "#\($0.column) \($0.op.rawValue) \($0.value.formatted)" }.joined(separator: " AND ") }
            return text
        case .values(let batch): return "VALUES \(batch.count) rows"
        case .filter(_, let condition): return "FILTER " + condition.description
        case .project(_, let expressions, let schema):
            return "PROJECT " + zip(expressions, schema.fields).map { "\($0.description) AS \($1.name)" }.joined(separator: ", ")
        case .aggregate(_, let groups, let aggregates, _):
            return "AGGREGATE groups: [" + groups.map(\.description).joined(separator: ", ") + "] aggregates: ["
                + aggregates.map { "\($0.function.rawValue)(\($0.distinct ? "DISTINCT " : "")\($0.arguments.isEmpty ? "*" : $0.arguments.map(\.description).joined(separator: ", ")))" }.joined(separator: ", ") + "]"
        case .sort(_, let keys): return "SORT " + keys.map { $0.expression.description + ($0.descending ? " DESC" : "") }.joined(separator: ", ")
        case .limit(_, let limit, let offset): return "LIMIT \(limit.map(String.init) ?? "ALL") OFFSET \(offset)"
        case .distinct: return "DISTINCT"
        case .cached: return "CACHED (computed once, read twice)"
        case .window(_, let windows, _): return "WINDOW " + windows.map(\.name).joined(separator: ", ")
        case .join(let type, _, _, let condition, _):
            var text = "HASH JOIN \(type)"
            if condition.keys.isEmpty { text = "NESTED LOOP JOIN \(type)" }
            if !condition.keys.isEmpty { text += " keys: " + condition.keys.map { "\($0.left.description) = \($0.right.description)" }.joined(separator: ", ") }
            if let residual = condition.residual { text += " condition: " + residual.description }
            return text
        case .setOperation(let op, let all, _, _): return op.rawValue + (all ? " ALL" : "")
        }
    }

    /// The direct inputs.
    var inputs: [LogicalPlan] {
        switch self {
        case .scan, .values: return []
        case .filter(let input, _), .project(let input, _, _), .aggregate(let input, _, _, _), .sort(let input, _),
             .limit(let input, _, _), .distinct(let input), .window(let input, _, _), .cached(_, let input):
            return [input]
        case .join(_, let left, let right, _, _), .setOperation(_, _, let left, let right): return [left, right]
        }
    }

    /// The plan as an indented tree, one operator per line, with estimated rows.
    func treeDescription(indent: String = "") -> String {
        var text = indent + operatorDescription + "  (~\(estimatedRows < 1e15 ? String(Int(estimatedRows)) : String(estimatedRows)) rows)\n"
        for input in inputs { text += input.treeDescription(indent: indent + "  ") }
        return text
    }
}

extension BoundExpression: CustomStringConvertible {
    var description: String {
        switch self {
        case .column(let i, _): return "#\(i)"
        case .outer(let i, _): return "outer#\(i)"
        case .literal(let value, _): return value == .null ? "NULL" : (value.isText ? "'\(value.formatted)'" : value.formatted)
        case .compare(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .arithmetic(let op, let a, let b, _): return "(\(a) \(op.rawValue) \(b))"
        case .and(let a, let b): return "(\(a) AND \(b))"
        case .or(let a, let b): return "(\(a) OR \(b))"
        case .not(let a): return "NOT \(a)"
        case .isNull(let a, let negated): return "(\(a) IS \(negated ? "NOT " : "")NULL)"
        case .isTrue(let a): return "(\(a) IS TRUE)"
        case .cast(let a, let t): return "CAST(\(a) AS \(t))"
        case .caseWhen(let branches, let otherwise, _):
            return "CASE" + branches.map { " WHEN \($0.0) THEN \($0.1)" }.joined() + " ELSE \(otherwise) END"
        case .function(let name, let arguments, _): return name + "(" + arguments.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

extension Scalar {
    var isText: Bool {
        if case .utf8 = self { return true }
        return false
    }
}
