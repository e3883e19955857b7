/// Expressions, by precedence from loosest to tightest (as PostgreSQL orders them): OR, AND,
/// NOT, comparisons and predicates (IS, IN, BETWEEN, LIKE), `||` and `^@`, `+ -`, `* / %`,
/// `^` and `**`, unary signs, `::` casts, subscripts and postfix `!`, then primaries.
extension SQLParser {
    mutating func expression() throws(SQLError) -> SQLExpression {
        try enter()
        defer { leave() }
        return try disjunction()
    }

    mutating func disjunction() throws(SQLError) -> SQLExpression {
        var operands = [try conjunction()]
        var positions: [SourcePosition] = []
        while current.isKeyword("OR") {
            positions.append(advance().position)
            operands.append(try conjunction())
        }
        return SQLParser.chain(.or, operands, positions)
    }

    mutating func conjunction() throws(SQLError) -> SQLExpression {
        var operands = [try negation()]
        var positions: [SourcePosition] = []
        while current.isKeyword("AND") {
            positions.append(advance().position)
            operands.append(try negation())
        }
        return SQLParser.chain(.and, operands, positions)
    }

    /// An AND or OR of operands: left-deep as written for a few, balanced for many, so that a
    /// chain of thousands of conditions is only a few dozen levels deep for whatever walks it.
    static func chain(_ op: SQLBinaryOperator, _ operands: [SQLExpression], _ positions: [SourcePosition]) -> SQLExpression {
        if operands.count <= 16 {
            var left = operands[0]
            for k in 1..<operands.count { left = .binary(op, left, operands[k], positions[k - 1]) }
            return left
        }
        func balanced(_ low: Int, _ high: Int) -> SQLExpression {
            if high - low == 1 { return operands[low] }
            let middle = (low + high) / 2
            return .binary(op, balanced(low, middle), balanced(middle, high), positions[middle - 1])
        }
        return balanced(0, operands.count)
    }

    /// Refuses a left-deep chain of operators longer than the nesting limit (everything that
    /// walks expressions recurses on it).
    mutating func checkChain(_ length: inout Int) throws(SQLError) {
        length += 1
        if length > SQLParser.maxDepth { throw error("more than \(SQLParser.maxDepth) operators in a row") }
    }

    mutating func negation() throws(SQLError) -> SQLExpression {
        if current.isKeyword("NOT"), !next.isKeyword("EXISTS") {
            let position = advance().position
            try enter()
            defer { leave() }
            return .unary(.not, try negation(), position)
        }
        return try predicate()
    }

    static let comparisons: [String: SQLBinaryOperator] = [
        "=": .equal, "<>": .notEqual, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    mutating func predicate() throws(SQLError) -> SQLExpression {
        var left = try concatenation()
        while true {
            let position = current.position
            if current.kind == .symbol, let op = SQLParser.comparisons[current.text] {
                _ = advance()
                if current.isKeyword("ANY") || current.isKeyword("SOME") || current.isKeyword("ALL") {
                    let all = advance().isKeyword("ALL")
                    try expectSymbol("(")
                    let subquery = try query()
                    try expectSymbol(")")
                    left = .quantified(op, left, all: all, subquery, position)
                } else {
                    left = .binary(op, left, try concatenation(), position)
                }
                continue
            }
            if accept("IS") {
                let negated = accept("NOT")
                if accept("NULL") || accept("UNKNOWN") {
                    left = .isNull(left, negated: negated, position)
                } else if accept("TRUE") {
                    left = .isBoolean(left, value: true, negated: negated, position)
                } else if accept("FALSE") {
                    left = .isBoolean(left, value: false, negated: negated, position)
                } else if accept(keywords: "DISTINCT", "FROM") {
                    left = .isDistinctFrom(left, try concatenation(), negated: negated, position)
                } else {
                    throw error("expected NULL, UNKNOWN, TRUE, FALSE or DISTINCT FROM after IS")
                }
                continue
            }
            if accept("ISNULL") { left = .isNull(left, negated: false, position); continue }
            if accept("NOTNULL") { left = .isNull(left, negated: true, position); continue }
            // [NOT] IN / BETWEEN / LIKE / ILIKE
            let negated = current.isKeyword("NOT")
                && (next.isKeyword("IN") || next.isKeyword("BETWEEN") || next.isKeyword("LIKE") || next.isKeyword("ILIKE"))
            if negated { _ = advance() }
            if accept("IN") {
                try expectSymbol("(")
                if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") {
                    let subquery = try query()
                    try expectSymbol(")")
                    left = .inSubquery(left, subquery, negated: negated, position)
                } else {
                    var items: [SQLExpression] = []
                    if !current.isSymbol(")") {
                        repeat { items.append(try expression()) } while acceptSymbol(",")
                    }
                    try expectSymbol(")")
                    left = .inList(left, items, negated: negated, position)
                }
                continue
            }
            if accept("BETWEEN") {
                _ = accept("SYMMETRIC")
                let low = try concatenation()
                try expect("AND")
                left = .between(left, low: low, high: try concatenation(), negated: negated, position)
                continue
            }
            if current.isKeyword("LIKE") || current.isKeyword("ILIKE") {
                let insensitive = advance().isKeyword("ILIKE")
                let pattern = try concatenation()
                let escape = accept("ESCAPE") ? try concatenation() : nil
                left = .like(left, pattern: pattern, escape: escape, caseInsensitive: insensitive, negated: negated, position)
                continue
            }
            if !negated, current.kind == .symbol, ["~~", "~~*", "!~~", "!~~*"].contains(current.text) {
                // a ~~ b is a LIKE b; * makes it ILIKE, ! negates it.
                let symbol = advance().text
                left = .like(left, pattern: try concatenation(), escape: nil, caseInsensitive: symbol.hasSuffix("*"),
                             negated: symbol.hasPrefix("!"), position)
                continue
            }
            if negated { throw error("expected IN, BETWEEN, LIKE or ILIKE after NOT") }
            return left
        }
    }

    mutating func concatenation() throws(SQLError) -> SQLExpression {
        var left = try additive()
        var length = 0
        while current.isSymbol("||") || current.isSymbol("^@") {
            try checkChain(&length)
            let token = advance()
            if token.text == "^@" {
                // s ^@ prefix: starts_with(s, prefix).
                left = .function(SQLFunctionCall(name: "starts_with", arguments: [left, try additive()], position: token.position))
            } else {
                left = .binary(.concat, left, try additive(), token.position)
            }
        }
        return left
    }

    mutating func additive() throws(SQLError) -> SQLExpression {
        var left = try multiplicative()
        var length = 0
        while current.isSymbol("+") || current.isSymbol("-") {
            try checkChain(&length)
            let token = advance()
            left = .binary(token.text == "+" ? .add : .subtract, left, try multiplicative(), token.position)
        }
        return left
    }

    mutating func multiplicative() throws(SQLError) -> SQLExpression {
        var left = try exponential()
        var length = 0
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") || current.isSymbol("//") {
            try checkChain(&length)
            let token = advance()
            let op: SQLBinaryOperator = token.text == "*" ? .multiply : token.text == "/" ? .divide : token.text == "//" ? .integerDivide : .modulo
            left = .binary(op, left, try exponential(), token.position)
        }
        return left
    }

    /// `a ^ b` and `a ** b`: power, left-associative (`2 ^ 3 ^ 2` is 64, as in DuckDB and
    /// PostgreSQL), binding tighter than `*` and looser than a unary sign.
    mutating func exponential() throws(SQLError) -> SQLExpression {
        var left = try signed()
        var length = 0
        while current.isSymbol("^") || current.isSymbol("**") {
            try checkChain(&length)
            let position = advance().position
            left = .function(SQLFunctionCall(name: "power", arguments: [left, try signed()], position: position))
        }
        return left
    }

    mutating func signed() throws(SQLError) -> SQLExpression {
        if current.isSymbol("-") || current.isSymbol("+") {
            let token = advance()
            try enter()
            defer { leave() }
            let operand = try signed()
            // Fold a minus into a numeric literal so -9223372036854775808 stays representable.
            func negated(_ digits: String) -> String { digits.hasPrefix("-") ? String(digits.dropFirst()) : "-" + digits }
            if token.text == "-", case .literal(.integer(let digits), _) = operand { return .literal(.integer(negated(digits)), token.position) }
            if token.text == "-", case .literal(.decimal(let digits), _) = operand { return .literal(.decimal(negated(digits)), token.position) }
            return .unary(token.text == "-" ? .negate : .plus, operand, token.position)
        }
        return try postfix()
    }

    mutating func postfix() throws(SQLError) -> SQLExpression {
        var value = try primary()
        while true {
            if current.isSymbol("::") {
                let position = advance().position
                value = .cast(value, try typeName(), tryCast: false, position)
            } else if current.isSymbol("!") {
                // Postfix factorial: n!
                let position = advance().position
                value = .function(SQLFunctionCall(name: "factorial", arguments: [value], position: position))
            } else if current.isSymbol("[") {
                let position = advance().position
                let subscriptValue = try expression()
                try expectSymbol("]")
                value = .subscriptIndex(value, subscriptValue, position)
            } else {
                return value
            }
        }
    }

    /// Names that start a typed string literal: `DATE '2024-01-01'`.
    static let typedLiteralTypes: Set<String> = ["DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "DECIMAL", "NUMERIC", "INTEGER",
                                                 "BIGINT", "DOUBLE", "REAL", "FLOAT", "VARCHAR", "TEXT", "BOOLEAN"]

    mutating func primary() throws(SQLError) -> SQLExpression {
        let token = current
        let position = token.position
        switch token.kind {
        case .integer:
            _ = advance()
            return .literal(.integer(token.text), position)
        case .decimal:
            _ = advance()
            return .literal(.decimal(token.text), position)
        case .string:
            _ = advance()
            return .literal(.string(token.text), position)
        case .symbol:
            if acceptSymbol("(") {
                if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") {
                    let subquery = try query()
                    try expectSymbol(")")
                    return .subquery(subquery, position)
                }
                let inner = try expression()
                if acceptSymbol(",") {
                    // A row constructor (a, b): kept as a list for IN comparisons.
                    var items = [inner]
                    repeat { items.append(try expression()) } while acceptSymbol(",")
                    try expectSymbol(")")
                    return .function(SQLFunctionCall(name: "row", arguments: items, position: position))
                }
                try expectSymbol(")")
                return inner
            }
            if acceptSymbol("[") {
                var items: [SQLExpression] = []
                if !current.isSymbol("]") {
                    repeat { items.append(try expression()) } while acceptSymbol(",")
                }
                try expectSymbol("]")
                return .list(items, position)
            }
            if acceptSymbol("*") { return .star(qualifier: nil, position) }
            if acceptSymbol("?") {
                parameterCount += 1
                return .literal(.parameter(parameterCount), position)
            }
            if token.text.hasPrefix("$"), let number = Int(token.text.dropFirst()), number >= 1 {
                _ = advance()
                return .literal(.parameter(number), position)
            }
            throw error("expected an expression")
        case .end:
            throw error("expected an expression")
        case .quotedIdentifier, .word:
            break
        }
        let upper = token.kind == .word ? token.upper : ""
        switch upper {
        case "NULL":
            _ = advance()
            return .literal(.null, position)
        case "TRUE", "FALSE":
            _ = advance()
            return .literal(.boolean(upper == "TRUE"), position)
        case "CASE":
            _ = advance()
            return try caseExpression(position)
        case "CAST", "TRY_CAST":
            _ = advance()
            try expectSymbol("(")
            let value = try expression()
            try expect("AS")
            let type = try typeName()
            try expectSymbol(")")
            return .cast(value, type, tryCast: upper == "TRY_CAST", position)
        case "EXISTS":
            return try existsExpression(position)
        case "NOT" where next.isKeyword("EXISTS"):
            return try existsExpression(position)
        case "INTERVAL" where next.kind == .string || next.kind == .integer:
            _ = advance()
            let text = advance().text
            var unit: String?
            if current.kind == .word, SQLParser.intervalUnits.contains(current.upper) { unit = advance().upper }
            return .literal(.interval(text, unit: unit), position)
        case "INTERVAL" where next.isSymbol("("):
            // INTERVAL (expr) unit: to_<unit>s(expr); without a unit, a cast to INTERVAL.
            _ = advance()
            try expectSymbol("(")
            let value = try expression()
            try expectSymbol(")")
            if current.kind == .word, SQLParser.intervalUnits.contains(current.upper) {
                let unit = advance().upper
                let singular = unit.hasSuffix("S") ? String(unit.dropLast()) : unit
                let plural = ["CENTURY": "centuries", "CENTURIE": "centuries", "MILLENNIUM": "millennia", "MILLENNIA": "millennia"][singular]
                    ?? singular.lowercased() + "s"
                return .function(SQLFunctionCall(name: "to_" + plural, arguments: [value], position: position))
            }
            return .cast(value, SQLTypeName(name: "INTERVAL"), tryCast: false, position)
        default:
            break
        }
        if token.kind == .word, SQLParser.typedLiteralTypes.contains(upper), next.kind == .string {
            _ = advance()
            let text = advance().text
            return .literal(.typed(SQLTypeName(name: upper), text), position)
        }
        if token.kind == .word, SQLParser.reserved.contains(upper) { throw error("expected an expression") }
        // A name, a qualified name, or a function call.
        var parts = [try anyName()]
        while current.isSymbol(".") {
            _ = advance()
            if acceptSymbol("*") { return .star(qualifier: parts.joined(separator: "."), position) }
            parts.append(try anyName("a name after '.'"))
        }
        if current.isSymbol("(") {
            return try functionCall(parts.joined(separator: "."), position)
        }
        return .column(parts, position)
    }

    mutating func existsExpression(_ position: SourcePosition) throws(SQLError) -> SQLExpression {
        let negated = accept("NOT")
        try expect("EXISTS")
        try expectSymbol("(")
        let subquery = try query()
        try expectSymbol(")")
        return .exists(subquery, negated: negated, position)
    }

    static let intervalUnits: Set<String> = ["YEAR", "YEARS", "MONTH", "MONTHS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES",
                                             "SECOND", "SECONDS", "WEEK", "WEEKS", "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS",
                                             "QUARTER", "QUARTERS", "DECADE", "DECADES", "CENTURY", "CENTURIES", "MILLENNIUM", "MILLENNIA"]

    mutating func caseExpression(_ position: SourcePosition) throws(SQLError) -> SQLExpression {
        var operand: SQLExpression?
        if !current.isKeyword("WHEN") { operand = try expression() }
        var branches: [SQLWhen] = []
        while accept("WHEN") {
            let condition = try expression()
            try expect("THEN")
            branches.append(SQLWhen(condition: condition, result: try expression()))
        }
        guard !branches.isEmpty else { throw error("expected WHEN") }
        let otherwise = accept("ELSE") ? try expression() : nil
        try expect("END")
        return .caseWhen(operand: operand, branches: branches, otherwise: otherwise, position)
    }

    mutating func functionCall(_ name: String, _ position: SourcePosition) throws(SQLError) -> SQLExpression {
        try expectSymbol("(")
        var call = SQLFunctionCall(name: name.lowercased(), arguments: [], position: position)
        if acceptSymbol("*") {
            call.arguments = [.star(qualifier: nil, position)]
        } else if !current.isSymbol(")") {
            call.distinct = accept("DISTINCT")
            if !call.distinct { _ = accept("ALL") }
            // EXTRACT(field FROM value) and SUBSTRING(x FROM a FOR b), POSITION(a IN b), TRIM(...)
            if call.name == "extract", current.kind == .word || current.kind == .string, next.isKeyword("FROM") {
                let field = advance().text.lowercased()
                _ = advance()
                call.name = "date_part"
                call.arguments = [.literal(.string(field), position), try expression()]
            } else if call.name == "position" {
                let needle = try concatenation()
                if accept("IN") {
                    call.arguments = [try expression(), needle]
                    call.name = "strpos"
                } else {
                    call.arguments = [needle]
                    while acceptSymbol(",") { call.arguments.append(try expression()) }
                }
            } else if call.name == "trim", current.isKeyword("BOTH") || current.isKeyword("LEADING") || current.isKeyword("TRAILING") {
                let side = advance().upper
                call.name = side == "LEADING" ? "ltrim" : side == "TRAILING" ? "rtrim" : "trim"
                if accept("FROM") {
                    call.arguments = [try expression()]
                } else {
                    let characters = try expression()
                    try expect("FROM")
                    call.arguments = [try expression(), characters]
                }
            } else {
                repeat {
                    call.arguments.append(try expression())
                    // SUBSTRING(s FROM a FOR b), OVERLAY(s PLACING r FROM a FOR b)
                    if call.name == "overlay", accept("PLACING") { call.arguments.append(try expression()) }
                    if call.name == "substring" || call.name == "substr" || call.name == "overlay" {
                        if accept("FROM") { call.arguments.append(try expression()) }
                        if accept("FOR") { call.arguments.append(try expression()) }
                    }
                } while acceptSymbol(",")
                if accept(keywords: "ORDER", "BY") { call.orderBy = try orderItems() }
            }
        }
        try expectSymbol(")")
        if accept("FILTER") {
            try expectSymbol("(")
            try expect("WHERE")
            call.filter = try expression()
            try expectSymbol(")")
        }
        if accept("OVER") { call.over = try windowSpecification() }
        return .function(call)
    }
}
