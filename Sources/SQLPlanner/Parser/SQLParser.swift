/// A recursive-descent SQL parser (PostgreSQL/DuckDB flavoured) producing ``SQLStatement``s.
///
/// ```swift
/// let statements = try SQLParser.parse("SELECT name, count(*) FROM calls GROUP BY 1 ORDER BY 2 DESC")
/// ```
///
/// Errors are ``SQLError`` `.syntax` with the line, column and a caret under the offending token.
/// Nesting deeper than ``maxDepth`` is an error, never a stack overflow.
public struct SQLParser {
    /// The deepest nesting of expressions and subqueries accepted.
    public static let maxDepth = 400

    let sql: String
    var tokens: [SQLToken]
    var index = 0
    var depth = 0
    /// The number of `?` parameters met so far (each one is the next number).
    var parameterCount = 0
    /// Recursion stops before it uses more than a fixed stack budget.
    let stack: StackGuard

    /// Parses a script of `;`-separated statements.
    ///
    /// - Parameter stackBudget: The most stack bytes parsing may use; the default is safe on any
    ///   thread. A caller on a thread with a large stack (a program's main thread has megabytes)
    ///   may allow more, for very deep expressions.
    public static func parse(_ sql: String, stackBudget: Int = StackGuard.defaultBudget) throws(SQLError) -> [SQLStatement] {
        var parser = try SQLParser(sql, stackBudget: stackBudget)
        return try parser.script()
    }

    /// Parses exactly one statement (a trailing `;` is allowed).
    public static func parseStatement(_ sql: String) throws(SQLError) -> SQLStatement {
        let statements = try parse(sql)
        guard statements.count == 1 else {
            throw SQLError(.syntax, "expected one statement, found \(statements.count)", sql: sql)
        }
        return statements[0]
    }

    /// Parses one expression.
    public static func parseExpression(_ sql: String) throws(SQLError) -> SQLExpression {
        var parser = try SQLParser(sql)
        let expression = try parser.expression()
        try parser.expectEnd()
        return expression
    }

    init(_ sql: String, stackBudget: Int = StackGuard.defaultBudget) throws(SQLError) {
        self.sql = sql
        self.tokens = try SQLLexer.tokenize(sql)
        self.stack = StackGuard(budget: stackBudget)
    }

    // MARK: Token helpers

    var current: SQLToken { tokens[index] }
    var next: SQLToken { tokens[Swift.min(index + 1, tokens.count - 1)] }

    mutating func advance() -> SQLToken {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    func error(_ message: String, at token: SQLToken? = nil) -> SQLError {
        let token = token ?? current
        let found = token.kind == .end ? "the end of the input" : "'\(token.text)'"
        return SQLError(.syntax, "\(message), found \(found)", at: token.position, sql: sql)
    }

    mutating func accept(_ keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        _ = advance()
        return true
    }

    mutating func accept(keywords: String...) -> Bool {
        for (offset, keyword) in keywords.enumerated() {
            let token = tokens[Swift.min(index + offset, tokens.count - 1)]
            guard token.isKeyword(keyword) else { return false }
        }
        for _ in keywords { _ = advance() }
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        _ = advance()
        return true
    }

    mutating func expect(_ keyword: String) throws(SQLError) {
        guard accept(keyword) else { throw error("expected \(keyword)") }
    }

    mutating func expectSymbol(_ symbol: String) throws(SQLError) {
        guard acceptSymbol(symbol) else { throw error("expected '\(symbol)'") }
    }

    mutating func expectEnd() throws(SQLError) {
        _ = acceptSymbol(";")
        guard current.kind == .end else { throw error("expected the end of the statement") }
    }

    /// Enters one level of nesting, refusing to go deeper than ``maxDepth``.
    mutating func enter() throws(SQLError) {
        depth += 1
        guard depth <= SQLParser.maxDepth, !stack.isExhausted else {
            throw SQLError(.syntax, "the statement nests deeper than \(SQLParser.maxDepth) levels", at: current.position, sql: sql)
        }
    }

    mutating func leave() { depth -= 1 }

    /// Words that end an expression or clause and cannot be bare aliases.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT",
        "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "ON", "USING", "AND", "OR", "NOT",
        "AS", "WHEN", "THEN", "ELSE", "END", "CASE", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "WINDOW", "QUALIFY",
        "VALUES", "WITH", "DISTINCT", "ALL", "BY", "ASC", "DESC", "NULLS", "FILTER", "OVER", "INTO", "SET",
        "RETURNING", "LATERAL", "SEMI", "ANTI", "EXISTS", "NULL", "TRUE", "FALSE", "CAST", "ESCAPE", "ANY", "SOME",
    ]

    /// An identifier: a bare word that is not reserved, or a quoted identifier.
    mutating func identifier(_ what: String = "a name") throws(SQLError) -> String {
        let token = current
        if token.kind == .quotedIdentifier || (token.kind == .word && !SQLParser.reserved.contains(token.upper)) {
            _ = advance()
            return token.text
        }
        throw error("expected \(what)")
    }

    /// Any word or quoted identifier, reserved or not (after a dot, for instance).
    mutating func anyName(_ what: String = "a name") throws(SQLError) -> String {
        let token = current
        guard token.kind == .word || token.kind == .quotedIdentifier else { throw error("expected \(what)") }
        _ = advance()
        return token.text
    }

    /// `a.b.c`.
    mutating func qualifiedName(_ what: String = "a name") throws(SQLError) -> [String] {
        var parts = [try identifier(what)]
        while current.isSymbol("."), next.kind == .word || next.kind == .quotedIdentifier {
            _ = advance()
            parts.append(try anyName(what))
        }
        return parts
    }

    /// `(a, b, c)`.
    mutating func nameList() throws(SQLError) -> [String] {
        try expectSymbol("(")
        var names: [String] = []
        repeat { names.append(try identifier("a column name")) } while acceptSymbol(",")
        try expectSymbol(")")
        return names
    }

    // MARK: Script and statements

    mutating func script() throws(SQLError) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        while true {
            while acceptSymbol(";") {}
            if current.kind == .end { break }
            statements.append(try statement())
            guard acceptSymbol(";") || current.kind == .end else { throw error("expected ';' or the end of the input") }
        }
        return statements
    }

    mutating func statement() throws(SQLError) -> SQLStatement {
        if accept("EXPLAIN") {
            let analyze = accept("ANALYZE")
            return .explain(try statement(), analyze: analyze)
        }
        if accept("PREPARE") {
            let name = try identifier("a prepared statement name")
            try expect("AS")
            return .prepare(name: name.lowercased(), try statement())
        }
        if accept("EXECUTE") {
            let name = try identifier("a prepared statement name")
            var arguments: [SQLExpression] = []
            if acceptSymbol("(") {
                if !current.isSymbol(")") {
                    repeat { arguments.append(try expression()) } while acceptSymbol(",")
                }
                try expectSymbol(")")
            }
            return .execute(name: name.lowercased(), arguments: arguments)
        }
        if accept("DEALLOCATE") {
            _ = accept("PREPARE")
            return .deallocate(name: try identifier("a prepared statement name").lowercased())
        }
        // Schemas are names only here (tables are keyed by their qualified name): accepted.
        if current.isKeyword("CREATE"), next.isKeyword("SCHEMA") {
            _ = advance()
            _ = advance()
            _ = accept(keywords: "IF", "NOT", "EXISTS")
            return .schema(name: try qualifiedName("a schema name"), drop: false)
        }
        if current.isKeyword("DROP"), next.isKeyword("SCHEMA") {
            _ = advance()
            _ = advance()
            _ = accept(keywords: "IF", "EXISTS")
            let name = try qualifiedName("a schema name")
            _ = accept("CASCADE")
            return .schema(name: name, drop: true)
        }
        if current.isKeyword("CREATE") { return try create() }
        if accept("INSERT") { return try insert() }
        if accept("UPDATE") { return try update() }
        if current.isKeyword("MERGE"), next.isKeyword("INTO") { return try merge() }
        if accept("DELETE") {
            try expect("FROM")
            let table = try qualifiedName("a table name")
            let alias = try targetAlias()
            let usingPosition = current.position
            let using = accept("USING") ? try fromList() : []
            var condition = accept("WHERE") ? try expression() : nil
            if !using.isEmpty {
                // DELETE … USING others WHERE c: the rows for which some row of the others satisfies c.
                var select = SQLSelect()
                select.items = [.expression(.literal(.integer("1"), usingPosition), alias: nil)]
                select.from = using
                select.whereClause = condition
                condition = .exists(SQLQuery(body: .select(select)), negated: false, usingPosition)
            }
            return .delete(table: table, alias: alias, whereClause: condition)
        }
        if accept("ALTER") {
            try expect("TABLE")
            _ = accept(keywords: "IF", "EXISTS")
            return .alterTable(name: try qualifiedName("a table name"), try alterAction())
        }
        if accept("DROP") {
            let kind: SQLObjectKind
            if accept("TABLE") { kind = .table } else if accept("VIEW") { kind = .view } else if accept("INDEX") { kind = .index }
            else { throw error("expected TABLE, VIEW or INDEX") }
            let ifExists = accept(keywords: "IF", "EXISTS")
            return .drop(kind: kind, name: try qualifiedName("a name"), ifExists: ifExists)
        }
        if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") || current.isSymbol("(")
            || current.isKeyword("FROM") {
            return .query(try query())
        }
        throw error("expected a statement")
    }

    mutating func create() throws(SQLError) -> SQLStatement {
        try expect("CREATE")
        let orReplace = accept(keywords: "OR", "REPLACE")
        _ = accept("TEMPORARY") || accept("TEMP")
        let unique = accept("UNIQUE")
        if accept("INDEX") {
            _ = accept(keywords: "IF", "NOT", "EXISTS")
            let name = try identifier("an index name")
            try expect("ON")
            let table = try qualifiedName("a table name")
            try expectSymbol("(")
            var columns: [String] = []
            repeat {
                columns.append(try identifier("a column name"))
                _ = accept("ASC") || accept("DESC")
            } while acceptSymbol(",")
            try expectSymbol(")")
            return .createIndex(name: name, table: table, columns: columns, unique: unique)
        }
        if unique { throw error("expected INDEX after UNIQUE") }
        if accept("VIEW") {
            _ = accept(keywords: "IF", "NOT", "EXISTS")
            let name = try qualifiedName("a view name")
            let columns = current.isSymbol("(") ? try nameList() : []
            try expect("AS")
            return .createView(name: name, columns: columns, query: try query(), orReplace: orReplace)
        }
        try expect("TABLE")
        let ifNotExists = accept(keywords: "IF", "NOT", "EXISTS")
        let name = try qualifiedName("a table name")
        if accept("AS") {
            return .createTable(name: name, columns: [], ifNotExists: ifNotExists, orReplace: orReplace, asQuery: try createQuery())
        }
        try expectSymbol("(")
        var columns: [SQLColumnDefinition] = []
        var tablePrimaryKey: [String] = []
        var tableChecks: [SQLExpression] = []
        repeat {
            if accept(keywords: "PRIMARY", "KEY") {
                tablePrimaryKey = try nameList()
                continue
            }
            if accept("UNIQUE") {
                _ = try parenthesizedTokens()
                continue
            }
            if accept("CHECK") {
                try expectSymbol("(")
                tableChecks.append(try expression())
                try expectSymbol(")")
                continue
            }
            let columnName = try identifier("a column name")
            // CREATE TABLE t(a, b) AS …: names only; the query gives the types.
            let type = current.isSymbol(",") || current.isSymbol(")") ? SQLTypeName(name: "") : try typeName()
            var definition = SQLColumnDefinition(name: columnName, type: type, notNull: false, primaryKey: false)
            while true {
                if accept(keywords: "NOT", "NULL") { definition.notNull = true; continue }
                if accept("NULL") { continue }
                if accept(keywords: "PRIMARY", "KEY") { definition.primaryKey = true; definition.notNull = true; continue }
                if accept("UNIQUE") { continue }
                if accept("DEFAULT") { _ = try primary(); continue }
                if accept("CHECK") {
                    try expectSymbol("(")
                    definition.checks.append(try expression())
                    try expectSymbol(")")
                    continue
                }
                break
            }
            columns.append(definition)
        } while acceptSymbol(",")
        try expectSymbol(")")
        if !tableChecks.isEmpty, !columns.isEmpty { columns[0].checks += tableChecks }
        for k in columns.indices where tablePrimaryKey.contains(columns[k].name) {
            columns[k].primaryKey = true
            columns[k].notNull = true
        }
        if accept("AS") {
            return .createTable(name: name, columns: columns, ifNotExists: ifNotExists, orReplace: orReplace, asQuery: try createQuery())
        }
        return .createTable(name: name, columns: columns, ifNotExists: ifNotExists, orReplace: orReplace, asQuery: nil)
    }

    /// The query of `CREATE TABLE … AS query [WITH [NO] DATA]`; WITH NO DATA keeps only the
    /// columns (the query with LIMIT 0).
    mutating func createQuery() throws(SQLError) -> SQLQuery {
        var body = try query()
        if accept(keywords: "WITH", "NO", "DATA") {
            let position = current.position
            body = SQLQuery(body: .query(body))
            body.limit = .literal(.integer("0"), position)
        } else {
            _ = accept(keywords: "WITH", "DATA")
        }
        return body
    }

    /// Skips a balanced parenthesised token run (constraints we do not model).
    mutating func parenthesizedTokens() throws(SQLError) -> Int {
        try expectSymbol("(")
        var level = 1
        var count = 0
        while level > 0 {
            if current.kind == .end { throw error("expected ')'") }
            if current.isSymbol("(") { level += 1 }
            if current.isSymbol(")") { level -= 1 }
            _ = advance()
            count += 1
        }
        return count
    }

    mutating func insert() throws(SQLError) -> SQLStatement {
        try expect("INTO")
        let table = try qualifiedName("a table name")
        var columns: [String] = []
        if current.isSymbol("("), !(next.isKeyword("SELECT") || next.isKeyword("WITH") || next.isKeyword("VALUES")) {
            columns = try nameList()
        }
        if accept(keywords: "DEFAULT", "VALUES") {
            return .insert(table: table, columns: columns, source: SQLQuery(body: .values([[]])))
        }
        return .insert(table: table, columns: columns, source: try query())
    }

    mutating func update() throws(SQLError) -> SQLStatement {
        let table = try qualifiedName("a table name")
        let alias = try targetAlias()
        try expect("SET")
        var assignments: [SQLAssignment] = []
        repeat {
            if current.isSymbol("(") {
                // SET (a, b) = (x, y): one assignment per column.
                let position = current.position
                let columns = try nameList()
                try expectSymbol("=")
                let value = try expression()
                var values = [value]
                if case .function(let call) = value, call.name == "row" { values = call.arguments }
                // One value for several columns: each column gets it (DuckDB).
                if values.count == 1 { values = Array(repeating: value, count: columns.count) }
                guard values.count == columns.count else {
                    throw SQLError(.syntax, "SET assigns \(columns.count) columns but gives \(values.count) values", at: position, sql: sql)
                }
                for (column, v) in zip(columns, values) { assignments.append(SQLAssignment(column: column, value: v)) }
                continue
            }
            let column = try identifier("a column name")
            try expectSymbol("=")
            assignments.append(SQLAssignment(column: column, value: try expression()))
        } while acceptSymbol(",")
        let condition = accept("WHERE") ? try expression() : nil
        return .update(table: table, alias: alias, assignments: assignments, whereClause: condition)
    }

    /// `MERGE INTO target [[AS] alias] USING source ON condition WHEN … THEN …` (one or more).
    mutating func merge() throws(SQLError) -> SQLStatement {
        let start = current.position
        _ = advance()
        _ = advance()
        let table = try qualifiedName("a table name")
        let alias = current.isKeyword("USING") ? nil : try targetAlias()
        try expect("USING")
        let source = try tableFactor()
        let condition: SQLExpression
        if current.isKeyword("USING") {
            // USING (a, b): target.a = source.a AND target.b = source.b.
            let position = current.position
            _ = advance()
            let columns = try nameList()
            let targetName = alias ?? table.last!
            let sourceName: String?
            switch source {
            case .table(let name, let sourceAlias, _), .versionedTable(let name, _, let sourceAlias, _): sourceName = sourceAlias?.name ?? name.last
            case .subquery(_, let sourceAlias, _): sourceName = sourceAlias?.name
            case .function(let name, _, let sourceAlias, _): sourceName = sourceAlias?.name ?? name
            case .join: sourceName = nil
            }
            guard let sourceName else { throw SQLError(.syntax, "MERGE … USING (columns) needs a name for the source (… AS s)", at: position, sql: sql) }
            var joined: SQLExpression?
            for column in columns {
                let equal = SQLExpression.binary(.equal, .column([targetName, column], position), .column([sourceName, column], position), position)
                joined = joined.map { .binary(.and, $0, equal, position) } ?? equal
            }
            condition = joined!
        } else {
            try expect("ON")
            condition = try expression()
        }
        var clauses: [SQLMergeClause] = []
        while current.isKeyword("WHEN") {
            let position = current.position
            _ = advance()
            var target: SQLMergeClause.Target
            if accept("MATCHED") {
                target = .matched
            } else if accept(keywords: "NOT", "MATCHED") {
                target = .notMatchedByTarget
                if accept("BY") {
                    if accept("SOURCE") { target = .notMatchedBySource } else { try expect("TARGET") }
                }
            } else {
                throw error("expected MATCHED or NOT MATCHED after WHEN")
            }
            // UPDATE and DELETE act on target rows (matched, or matched by no source row).
            let matched = target != .notMatchedByTarget
            let clauseCondition = accept("AND") ? try expression() : nil
            try expect("THEN")
            let action: SQLMergeAction
            if accept(keywords: "DO", "NOTHING") {
                action = .nothing
            } else if matched, accept("UPDATE") {
                try expect("SET")
                if acceptSymbol("*") {
                    action = .updateAll
                } else {
                    var assignments: [SQLAssignment] = []
                    repeat {
                        let column = try identifier("a column name")
                        try expectSymbol("=")
                        assignments.append(SQLAssignment(column: column, value: try expression()))
                    } while acceptSymbol(",")
                    action = .update(assignments)
                }
            } else if matched, accept("DELETE") {
                action = .delete
            } else if !matched, accept("INSERT") {
                if acceptSymbol("*") {
                    action = .insertAll
                } else {
                    let columns = current.isSymbol("(") ? try nameList() : []
                    try expect("VALUES")
                    try expectSymbol("(")
                    var values: [SQLExpression] = []
                    repeat { values.append(try expression()) } while acceptSymbol(",")
                    try expectSymbol(")")
                    if !columns.isEmpty, columns.count != values.count {
                        throw SQLError(.syntax, "INSERT names \(columns.count) columns but gives \(values.count) values", at: position, sql: sql)
                    }
                    action = .insert(columns: columns, values: values)
                }
            } else {
                throw error(matched ? "expected UPDATE, DELETE or DO NOTHING after WHEN \(target == .matched ? "" : "NOT ")MATCHED\(target == .matched ? "" : " BY SOURCE") … THEN"
                                    : "expected INSERT or DO NOTHING after WHEN NOT MATCHED … THEN")
            }
            if target == .notMatchedBySource, action == .updateAll {
                throw SQLError(.syntax, "UPDATE SET * needs a source row: it cannot follow WHEN NOT MATCHED BY SOURCE", at: position, sql: sql)
            }
            clauses.append(SQLMergeClause(target: target, condition: clauseCondition, action: action, position: position))
        }
        guard !clauses.isEmpty else { throw error("expected WHEN MATCHED or WHEN NOT MATCHED") }
        return .merge(SQLMerge(table: table, alias: alias, source: source, condition: condition, clauses: clauses, position: start))
    }

    /// An optional `[AS] alias` after the table of UPDATE or DELETE.
    mutating func targetAlias() throws(SQLError) -> String? {
        if accept("AS") { return try identifier("an alias") }
        if (current.kind == .word && !SQLParser.reserved.contains(current.upper) && !current.isKeyword("SET")) || current.kind == .quotedIdentifier {
            return try identifier("an alias")
        }
        return nil
    }

    /// The change an `ALTER TABLE` makes.
    mutating func alterAction() throws(SQLError) -> SQLAlterAction {
        if accept("ADD") {
            _ = accept("COLUMN")
            let ifNotExists = accept(keywords: "IF", "NOT", "EXISTS")
            let name = try identifier("a column name")
            let type = try typeName()
            var definition = SQLColumnDefinition(name: name, type: type, notNull: false, primaryKey: false)
            var defaultValue: SQLExpression?
            while true {
                if accept(keywords: "NOT", "NULL") { definition.notNull = true; continue }
                if accept("NULL") { continue }
                if accept("DEFAULT") { defaultValue = try primary(); continue }
                break
            }
            return .addColumn(definition, defaultValue: defaultValue, ifNotExists: ifNotExists)
        }
        if accept("DROP") {
            _ = accept("COLUMN")
            let ifExists = accept(keywords: "IF", "EXISTS")
            return .dropColumn(try identifier("a column name"), ifExists: ifExists)
        }
        if accept("RENAME") {
            if accept("TO") { return .renameTable(to: try identifier("a table name")) }
            _ = accept("COLUMN")
            let old = try identifier("a column name")
            try expect("TO")
            return .renameColumn(old, to: try identifier("a column name"))
        }
        if accept("ALTER") {
            _ = accept("COLUMN")
            let column = try identifier("a column name")
            if accept(keywords: "DROP", "DEFAULT") { return .columnDefault(column) }
            if accept(keywords: "SET", "DEFAULT") {
                _ = try expression()
                return .columnDefault(column)
            }
            throw error("expected SET DEFAULT or DROP DEFAULT")
        }
        throw error("expected ADD, DROP, RENAME or ALTER")
    }

    /// A type name: `INTEGER`, `DOUBLE PRECISION`, `VARCHAR(20)`, `DECIMAL(12,2)`, `INT[]`,
    /// `TIMESTAMP WITH TIME ZONE`.
    mutating func typeName() throws(SQLError) -> SQLTypeName {
        var name = try anyName("a type name").uppercased()
        if name == "DOUBLE" { _ = accept("PRECISION") }
        if name == "CHARACTER", accept("VARYING") { name = "VARCHAR" }
        if name == "TIMESTAMP" || name == "TIME" {
            if accept(keywords: "WITH", "TIME", "ZONE") { name += " WITH TIME ZONE" }
            _ = accept(keywords: "WITHOUT", "TIME", "ZONE")
        }
        var parameters: [Int] = []
        // `DECIMAL()`: empty parentheses mean the defaults.
        if current.isSymbol("("), next.isSymbol(")") {
            _ = advance()
            _ = advance()
        } else if acceptSymbol("(") {
            repeat {
                let token = advance()
                guard token.kind == .integer, let value = Int(token.text) else { throw error("expected an integer type parameter", at: token) }
                parameters.append(value)
            } while acceptSymbol(",")
            try expectSymbol(")")
        }
        var isArray = false
        if current.isSymbol("["), next.isSymbol("]") {
            _ = advance()
            _ = advance()
            isArray = true
        }
        return SQLTypeName(name: name, parameters: parameters, isArray: isArray)
    }
}
