extension SQLParser {
    /// `[WITH …] set-expression [ORDER BY …] [LIMIT …] [OFFSET …]`.
    mutating func query() throws(SQLError) -> SQLQuery {
        try enter()
        defer { leave() }
        var ctes: [SQLCommonTableExpression] = []
        var recursive = false
        if accept("WITH") {
            recursive = accept("RECURSIVE")
            repeat {
                let name = try identifier("a common table expression name")
                let columns = current.isSymbol("(") ? try nameList() : []
                try expect("AS")
                _ = accept(keywords: "NOT", "MATERIALIZED") || accept("MATERIALIZED")
                try expectSymbol("(")
                let inner = try query()
                try expectSymbol(")")
                ctes.append(SQLCommonTableExpression(name: name, columns: columns, query: inner))
            } while acceptSymbol(",")
        }
        var result = SQLQuery(body: try setExpression(minimumPrecedence: 0))
        result.with = ctes
        result.recursive = recursive
        if accept(keywords: "ORDER", "BY") { result.orderBy = try orderItems() }
        // LIMIT and OFFSET in either order.
        for _ in 0..<2 {
            if accept("LIMIT") {
                if accept("ALL") { continue }
                result.limit = try expression()
            } else if accept("OFFSET") {
                result.offset = try expression()
                _ = accept("ROWS") || accept("ROW")
            }
        }
        return result
    }

    /// Set operations: INTERSECT binds tighter than UNION and EXCEPT.
    mutating func setExpression(minimumPrecedence: Int) throws(SQLError) -> SQLSetExpression {
        var left = try setOperand()
        while true {
            let op: SQLSetOperator
            if current.isKeyword("UNION") { op = .union } else if current.isKeyword("EXCEPT") { op = .except }
            else if current.isKeyword("INTERSECT") { op = .intersect } else { break }
            let precedence = op == .intersect ? 2 : 1
            guard precedence > minimumPrecedence else { break }
            _ = advance()
            let all = accept("ALL")
            _ = accept("DISTINCT")
            let right = try setExpression(minimumPrecedence: precedence)
            left = .setOperation(op, all: all, left, right)
        }
        return left
    }

    mutating func setOperand() throws(SQLError) -> SQLSetExpression {
        if acceptSymbol("(") {
            let inner = try query()
            try expectSymbol(")")
            return .query(inner)
        }
        if accept("VALUES") { return .values(try valuesRows()) }
        if current.isKeyword("FROM") {
            // DuckDB's `FROM t` shorthand for `SELECT * FROM t`.
            var select = SQLSelect()
            select.items = [.wildcard(qualifier: nil, exclude: [])]
            _ = advance()
            select.from = try fromList()
            if accept("WHERE") { select.whereClause = try expression() }
            return .select(select)
        }
        return .select(try select())
    }

    mutating func select() throws(SQLError) -> SQLSelect {
        try expect("SELECT")
        var select = SQLSelect()
        if accept("DISTINCT") {
            select.distinct = true
            if accept("ON") {
                try expectSymbol("(")
                repeat { select.distinctOn.append(try expression()) } while acceptSymbol(",")
                try expectSymbol(")")
            }
        } else {
            _ = accept("ALL")
        }
        repeat { select.items.append(try selectItem()) } while acceptSymbol(",")
        if accept("FROM") { select.from = try fromList() }
        if accept("WHERE") { select.whereClause = try expression() }
        if accept(keywords: "GROUP", "BY") {
            if current.isKeyword("ALL") {
                // GROUP BY ALL: every select item without an aggregate (a star stands for them).
                select.groupBy = [.star(qualifier: nil, advance().position)]
            } else {
                repeat { select.groupBy.append(try expression()) } while acceptSymbol(",")
            }
        }
        if accept("HAVING") { select.having = try expression() }
        if accept("WINDOW") {
            repeat {
                let name = try identifier("a window name")
                try expect("AS")
                select.windows[name] = try windowSpecification()
            } while acceptSymbol(",")
        }
        if accept("QUALIFY") { select.qualify = try expression() }
        return select
    }

    mutating func selectItem() throws(SQLError) -> SQLSelectItem {
        if acceptSymbol("*") { return .wildcard(qualifier: nil, exclude: try excludeList()) }
        if current.kind == .word || current.kind == .quotedIdentifier, next.isSymbol("."),
           tokens[Swift.min(index + 2, tokens.count - 1)].isSymbol("*") {
            let qualifier = try anyName()
            _ = advance()
            _ = advance()
            return .wildcard(qualifier: qualifier, exclude: try excludeList())
        }
        let value = try expression()
        return .expression(value, alias: try alias())
    }

    mutating func excludeList() throws(SQLError) -> [String] {
        guard accept("EXCLUDE") else { return [] }
        if current.isSymbol("(") { return try nameList() }
        return [try identifier("a column name")]
    }

    /// `[AS] name` (a bare name must not be a reserved word).
    mutating func alias() throws(SQLError) -> String? {
        if accept("AS") { return try anyName("an alias") }
        if current.kind == .quotedIdentifier || (current.kind == .word && !SQLParser.reserved.contains(current.upper)) {
            return try anyName("an alias")
        }
        return nil
    }

    mutating func tableAlias() throws(SQLError) -> SQLAlias? {
        guard let name = try alias() else { return nil }
        let columns = current.isSymbol("(") ? try nameList() : []
        return SQLAlias(name: name, columns: columns)
    }

    mutating func orderItems() throws(SQLError) -> [SQLOrderItem] {
        var items: [SQLOrderItem] = []
        repeat {
            // ORDER BY ALL: every select item, in order (a star stands for them).
            let value = current.isKeyword("ALL") ? SQLExpression.star(qualifier: nil, advance().position) : try expression()
            var descending = false
            if accept("DESC") { descending = true } else { _ = accept("ASC") }
            var nullsFirst: Bool?
            if accept("NULLS") {
                if accept("FIRST") { nullsFirst = true } else { try expect("LAST"); nullsFirst = false }
            }
            items.append(SQLOrderItem(expression: value, descending: descending, nullsFirst: nullsFirst))
        } while acceptSymbol(",")
        return items
    }

    // MARK: FROM

    mutating func fromList() throws(SQLError) -> [SQLTableReference] {
        var references: [SQLTableReference] = []
        repeat { references.append(try joinedTable()) } while acceptSymbol(",")
        return references
    }

    mutating func joinedTable() throws(SQLError) -> SQLTableReference {
        var left = try tableFactor()
        while true {
            var kind: SQLJoinKind
            var natural = false
            var swapped = false
            if accept("NATURAL") { natural = true }
            if accept(keywords: "CROSS", "JOIN") {
                left = .join(.cross, left, try tableFactor(), .none)
                continue
            } else if accept("JOIN") || accept(keywords: "INNER", "JOIN") {
                kind = .inner
            } else if accept("LEFT") {
                kind = accept("SEMI") ? .semi : accept("ANTI") ? .anti : .left
                _ = accept("OUTER")
                try expect("JOIN")
            } else if accept("RIGHT") {
                // RIGHT SEMI/ANTI (DataFusion): the left join of the sides swapped.
                if accept("SEMI") { kind = .semi; swapped = true } else if accept("ANTI") { kind = .anti; swapped = true } else { kind = .right }
                _ = accept("OUTER")
                try expect("JOIN")
            } else if accept("FULL") {
                kind = .full
                _ = accept("OUTER")
                try expect("JOIN")
            } else if accept(keywords: "SEMI", "JOIN") {
                kind = .semi
            } else if accept(keywords: "ANTI", "JOIN") {
                kind = .anti
            } else {
                if natural { throw error("expected JOIN after NATURAL") }
                return left
            }
            let right = try tableFactor()
            let condition: SQLJoinCondition
            if natural {
                condition = .natural
            } else if accept("ON") {
                condition = .on(try expression())
            } else if accept("USING") {
                condition = .using(try nameList())
            } else {
                throw error("expected ON or USING")
            }
            left = swapped ? .join(kind, right, left, condition) : .join(kind, left, right, condition)
        }
    }

    /// The rows after `VALUES`: `(a, b), (c, d)`, with DuckDB's optional trailing comma.
    mutating func valuesRows() throws(SQLError) -> [[SQLExpression]] {
        var rows: [[SQLExpression]] = []
        repeat {
            try expectSymbol("(")
            var row: [SQLExpression] = []
            repeat { row.append(try expression()) } while acceptSymbol(",")
            try expectSymbol(")")
            rows.append(row)
            // A comma before the end of the statement or list is a trailing one; before
            // anything else but a row (`FROM VALUES (1) v(a), t`) it is not ours.
            if current.isSymbol(","), next.kind == .end || next.isSymbol(";") || next.isSymbol(")") { _ = advance() }
        } while current.isSymbol(",") && next.isSymbol("(") && acceptSymbol(",")
        return rows
    }

    mutating func tableFactor() throws(SQLError) -> SQLTableReference {
        try enter()
        defer { leave() }
        let lateral = accept("LATERAL")
        if current.isSymbol("(") {
            // A subquery, or a parenthesised join.
            let save = index
            _ = advance()
            if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") || current.isSymbol("(") || current.isKeyword("FROM") {
                index = save
                _ = advance()
                let inner = try query()
                try expectSymbol(")")
                return .subquery(inner, alias: try tableAlias(), lateral: lateral)
            }
            let joined = try joinedTable()
            try expectSymbol(")")
            return joined
        }
        let position = current.position
        if accept("VALUES") {
            // FROM VALUES (…), (…) alias(names): DuckDB's unparenthesised VALUES list.
            return .subquery(SQLQuery(body: .values(try valuesRows())), alias: try tableAlias(), lateral: false)
        }
        let name = try qualifiedName("a table name")
        if acceptSymbol("(") {
            var arguments: [SQLExpression] = []
            if !current.isSymbol(")") {
                repeat { arguments.append(try expression()) } while acceptSymbol(",")
            }
            try expectSymbol(")")
            return .function(name: name.joined(separator: "."), arguments: arguments, alias: try tableAlias(), position: position)
        }
        if current.isKeyword("AS"), next.isKeyword("OF") {
            _ = advance()
            _ = advance()
            let version: SQLTableVersion
            if accept("VERSION") {
                let token = current
                guard token.kind == .integer, let n = Int64(token.text), n >= 0 else {
                    throw SQLError(.syntax, "AS OF VERSION takes a version number", at: token.position, sql: sql)
                }
                _ = advance()
                version = .version(n)
            } else if accept("TIMESTAMP") {
                let token = current
                guard token.kind == .string else {
                    throw SQLError(.syntax, "AS OF TIMESTAMP takes a quoted timestamp", at: token.position, sql: sql)
                }
                _ = advance()
                version = .timestamp(token.text)
            } else {
                throw SQLError(.syntax, "expected VERSION or TIMESTAMP after AS OF", at: current.position, sql: sql)
            }
            return .versionedTable(name: name, version: version, alias: try tableAlias(), position: position)
        }
        return .table(name: name, alias: try tableAlias(), position: position)
    }

    // MARK: Windows

    mutating func windowSpecification() throws(SQLError) -> SQLWindowSpecification {
        var spec = SQLWindowSpecification()
        if current.kind == .word, !current.isSymbol("("), !SQLParser.reserved.contains(current.upper) {
            spec.base = try identifier("a window name")
            return spec
        }
        try expectSymbol("(")
        if current.kind == .word, !["PARTITION", "ORDER", "ROWS", "RANGE", "GROUPS"].contains(current.upper) {
            spec.base = try identifier("a window name")
        }
        if accept(keywords: "PARTITION", "BY") {
            repeat { spec.partitionBy.append(try expression()) } while acceptSymbol(",")
        }
        if accept(keywords: "ORDER", "BY") { spec.orderBy = try orderItems() }
        if current.isKeyword("ROWS") || current.isKeyword("RANGE") || current.isKeyword("GROUPS") {
            let unit = SQLWindowFrame.Unit(rawValue: advance().upper) ?? .rows
            if accept("BETWEEN") {
                let start = try frameBound()
                try expect("AND")
                spec.frame = SQLWindowFrame(unit: unit, start: start, end: try frameBound())
            } else {
                spec.frame = SQLWindowFrame(unit: unit, start: try frameBound(), end: .currentRow)
            }
        }
        try expectSymbol(")")
        return spec
    }

    mutating func frameBound() throws(SQLError) -> SQLWindowFrame.Bound {
        if accept(keywords: "UNBOUNDED", "PRECEDING") { return .unboundedPreceding }
        if accept(keywords: "UNBOUNDED", "FOLLOWING") { return .unboundedFollowing }
        if accept(keywords: "CURRENT", "ROW") { return .currentRow }
        let offset = try expression()
        if accept("PRECEDING") { return .preceding(offset) }
        try expect("FOLLOWING")
        return .following(offset)
    }
}
