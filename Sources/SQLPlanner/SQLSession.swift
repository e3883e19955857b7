import ColumnarCore
import Synchronization

/// A database session: named tables (in memory, or any ``SQLTableProvider``) and SQL run
/// against them.
///
/// ```swift
/// let session = SQLSession()
/// let result = try session.execute("""
///     CREATE TABLE t (city VARCHAR, rate DOUBLE);
///     INSERT INTO t VALUES ('Chicago', 85), ('Denver', 92.5);
///     SELECT city FROM t WHERE rate > 90
///     """)
/// ```
public final class SQLSession {
    private var tables: [String: any SQLTableProvider] = [:]
    private var views: [String: SQLQuery] = [:]
    /// `/` between integers divides as integers, truncating (SQLite and PostgreSQL; DuckDB's
    /// `integer_division` setting). Off by default: `/` gives a DOUBLE, `//` divides integers.
    public var integerDivision = false
    /// The stack budget of the parser (see ``SQLParser/parse(_:stackBudget:)``).
    public var parserStackBudget = StackGuard.defaultBudget
    /// Where tables the session does not hold are found, and where `CREATE TABLE`, `INSERT`
    /// and `DROP TABLE` of such tables go (each one commit). Nil: every table is in memory.
    public var catalog: (any SQLCatalog)?

    public init() {
        tableFunctions["range"] = RangeFunction(name: "range", inclusive: false)
        tableFunctions["generate_series"] = RangeFunction(name: "generate_series", inclusive: true)
    }

    private var tableFunctions: [String: any SQLTableFunction] = [:]
    /// CHECK constraints of memory tables by table key, enforced on INSERT and UPDATE.
    private var checks: [String: [SQLExpression]] = [:]
    /// Prepared statements by name, with the SQL they were written in (for error positions).
    private var prepared: [String: (statement: SQLStatement, sql: String)] = [:]

    /// Makes a table function callable in FROM under `name`.
    public func register(function name: String, _ function: any SQLTableFunction) {
        tableFunctions[name.lowercased()] = function
    }

    /// Makes `table` visible under `name`.
    public func register(_ name: String, _ table: any SQLTableProvider) {
        tables[name.lowercased()] = table
    }

    /// Runs every statement of `sql` and returns the last one's result (for statements other
    /// than queries: a one-row `Count` batch of the rows affected).
    @discardableResult
    public func execute(_ sql: String) throws(SQLError) -> RecordBatch {
        var last = try RecordBatch.single()
        for statement in try SQLParser.parse(sql, stackBudget: parserStackBudget) { last = try run(statement, sql: sql) }
        return last
    }

    private func run(_ statement: SQLStatement, sql: String, parameters: [BoundExpression] = []) throws(SQLError) -> RecordBatch {
        var binder = Binder(tables: tables, views: views, sql: sql, tableFunctions: tableFunctions)
        binder.integerDivision = integerDivision
        binder.parameters = parameters
        binder.catalog = catalog
        switch statement {
        case .alterTable(let name, let action):
            return try alter(name, action, binder: binder, sql: sql)
        case .prepare(let name, let inner):
            prepared[name] = (inner, sql)
            return try count(0)
        case .deallocate(let name):
            guard prepared.removeValue(forKey: name) != nil else {
                throw SQLError(.unknownName, "no prepared statement \(name)", sql: sql, validNames: _closest(name, in: Array(prepared.keys)))
            }
            return try count(0)
        case .execute(let name, let arguments):
            guard let (inner, innerSQL) = prepared[name] else {
                throw SQLError(.unknownName, "no prepared statement \(name)", sql: sql, validNames: _closest(name, in: Array(prepared.keys)))
            }
            // Each argument is computed once, here, and stands as a constant for its parameter.
            let empty = try RecordBatch.single()
            var values: [BoundExpression] = []
            for argument in arguments {
                let bound = try binder.bindExpression(argument, scope: Binder.Scope(columns: []))
                let value = try bound.evaluate(empty)
                values.append(.literal(value.scalar(at: 0), bound.type))
            }
            return try run(inner, sql: innerSQL, parameters: values)
        case .query(let query):
            return try Executor.run(try binder.bind(query))
        case .createTable(let name, let columns, let ifNotExists, let orReplace, let asQuery):
            let key = name.joined(separator: ".").lowercased()
            if let catalog, tables[key] == nil {
                return try createCatalogTable(catalog, key: key, columns: columns, ifNotExists: ifNotExists, orReplace: orReplace,
                                              asQuery: asQuery, binder: binder, sql: sql)
            }
            if tables[key] != nil && !orReplace {
                if ifNotExists { return try count(0) }
                throw SQLError(.syntax, "table \(key) already exists", sql: sql)
            }
            if let asQuery {
                var result = try Executor.run(try binder.bind(asQuery))
                if !columns.isEmpty {
                    // CREATE TABLE t(a INT, b TEXT) AS …: the declared names and types.
                    // Fewer names than columns rename the first ones (DuckDB); more is an error.
                    guard columns.count <= result.columns.count else {
                        throw SQLError(.syntax, "table \(key) declares \(columns.count) columns but the query returns \(result.columns.count)", sql: sql)
                    }
                    var fields: [Field] = []
                    var converted: [Column] = []
                    for (column, value) in zip(columns, result.columns) {
                        // A name without a type keeps the query's type.
                        let type = column.type.name.isEmpty ? value.dataType : try binder.dataType(column.type, at: nil)
                        do {
                            converted.append(value.dataType == type ? value : try Kernels.cast(value, to: type))
                        } catch {
                            throw SQLError(.runtime, "column \(column.name): \(error)", sql: sql)
                        }
                        fields.append(Field(column.name, type, nullable: !column.notNull))
                    }
                    for k in columns.count..<result.columns.count {
                        fields.append(result.schema.fields[k])
                        converted.append(result.columns[k])
                    }
                    do {
                        result = try RecordBatch(schema: Schema(fields), columns: converted, count: result.count)
                    } catch {
                        throw SQLError(.internalError, "\(error)", sql: sql)
                    }
                }
                tables[key] = MemoryTable(schema: result.schema, batches: [result])
                checks[key] = nil
                return try count(result.count)
            }
            var fields: [Field] = []
            for column in columns {
                fields.append(Field(column.name, try binder.dataType(column.type, at: nil), nullable: !column.notNull))
            }
            tables[key] = MemoryTable(schema: Schema(fields))
            let constraints = columns.flatMap(\.checks)
            checks[key] = constraints.isEmpty ? nil : constraints
            return try count(0)
        case .insert(let name, let columnNames, let source):
            let key = name.joined(separator: ".").lowercased()
            if tables[key] == nil, let catalog, let target = try catalog.table(key, at: nil) {
                let rows = try Executor.run(try binder.bind(source))
                let conformed = try conform(rows, to: target.schema, columns: columnNames, sql: sql)
                return try count(try catalog.insert(into: key, rows: conformed))
            }
            guard let table = tables[key] as? MemoryTable else {
                throw SQLError(.unknownName, "no table \(key) to insert into", sql: sql, validNames: _closest(key, in: Array(tables.keys)))
            }
            let rows: RecordBatch
            if case .values(let list) = source.body, source.orderBy.isEmpty, source.limit == nil, source.offset == nil, source.with.isEmpty {
                // Each value is cast to its column's type directly, as DuckDB binds INSERT … VALUES.
                let fields = table.schema.fields
                let targets: [DataType?] = columnNames.isEmpty
                    ? fields.map(\.dataType)
                    : columnNames.map { name in fields.first { $0.name.lowercased() == name.lowercased() }?.dataType }
                rows = try binder.valuesBatch(list, targetTypes: targets)
            } else {
                rows = try Executor.run(try binder.bind(source))
            }
            return try count(try insert(rows, into: table, key: key, columns: columnNames, sql: sql))
        case .drop(let kind, let name, let ifExists):
            let key = name.joined(separator: ".").lowercased()
            guard kind != .index else { return try count(0) }
            if kind == .table, tables[key] == nil, let catalog {
                guard try catalog.dropTable(key) || ifExists else {
                    throw SQLError(.unknownName, "no table \(key)", sql: sql, validNames: _closest(key, in: (try? catalog.tableNames()) ?? []))
                }
                return try count(0)
            }
            let removed = kind == .view ? views.removeValue(forKey: key) != nil : tables.removeValue(forKey: key) != nil
            if kind == .table { checks[key] = nil }
            guard removed || ifExists else {
                throw SQLError(.unknownName, "no \(kind.rawValue.lowercased()) \(key)", sql: sql)
            }
            return try count(0)
        case .createIndex, .schema:
            return try count(0)
        case .explain(let inner, let analyze):
            guard case .query(let query) = inner else { throw SQLError(.unsupported, "EXPLAIN of statements other than queries is not supported yet", sql: sql) }
            let plan = Optimizer.optimize(try binder.bind(query))
            var lines = ["logical plan:"] + plan.treeDescription(indent: "  ").split(separator: "\n").map(String.init)
            if analyze {
                let (result, profiler) = try Executor.analyze(plan)
                lines += ["", "execution (\(result.count) rows):"] + profiler.lines().map { "  " + $0 }
            }
            do {
                return try RecordBatch(schema: Schema([Field("plan", .utf8)]), columns: [.utf8(BinaryColumn(lines))], count: lines.count)
            } catch {
                throw SQLError(.internalError, "\(error)")
            }
        case .delete(let name, let alias, let condition):
            let key = name.joined(separator: ".").lowercased()
            if tables[key] == nil, let catalog, let target = try catalog.table(key, at: nil) {
                return try count(try deleteFromCatalog(catalog, key: key, schema: target.schema, qualifier: alias ?? name.last!,
                                                       condition: condition, binder: binder, sql: sql))
            }
            if let condition, _containsSubquery(condition) {
                return try deleteWithSubqueries(name, alias: alias, condition: condition, binder: binder, sql: sql)
            }
            let (table, scope) = try memoryTable(name, alias: alias, binder: binder, sql: sql)
            let batch = try Executor.run(.scan(name: name.joined(separator: "."), table: table, request: SQLScanRequest()))
            guard let condition else {
                table.replace(with: [])
                return try count(batch.count)
            }
            let keep = try Executor.run(.filter(.values(batch), .not(.isTrue(try binder.bindExpression(condition, scope: scope)))))
            table.replace(with: [keep])
            return try count(batch.count - keep.count)
        case .update(let name, let alias, let assignments, let condition):
            let key = name.joined(separator: ".").lowercased()
            if tables[key] == nil, let catalog, let target = try catalog.table(key, at: nil) {
                return try count(try updateCatalog(catalog, key: key, schema: target.schema, qualifier: alias ?? name.last!,
                                                   assignments: assignments, condition: condition, binder: binder, sql: sql))
            }
            if assignments.contains(where: { _containsSubquery($0.value) }) || condition.map(_containsSubquery) == true {
                return try updateWithSubqueries(name, alias: alias, assignments: assignments, condition: condition, binder: binder, sql: sql)
            }
            let (table, scope) = try memoryTable(name, alias: alias, binder: binder, sql: sql)
            let batch = try Executor.run(.scan(name: name.joined(separator: "."), table: table, request: SQLScanRequest()))
            let (expressions, changed) = try boundUpdate(assignments, condition: condition, scope: scope, binder: binder, sql: sql)
            // Every column: the new value where the condition holds, the old one elsewhere.
            let updated = try Executor.run(.project(.values(batch), scope.columns.indices.map { k in
                BoundExpression.caseWhen([(changed, expressions[k])], otherwise: .column(k, scope.columns[k].type), scope.columns[k].type)
            }, table.schema))
            let replacement: RecordBatch
            do {
                replacement = try RecordBatch(schema: table.schema, columns: updated.columns, count: updated.count)
            } catch {
                throw SQLError(.runtime, "UPDATE: \(error)", sql: sql)
            }
            try enforceChecks(table, key: name.joined(separator: ".").lowercased(), rows: replacement, sql: sql)
            table.replace(with: [replacement])
            let hits = try Executor.run(.filter(.values(batch), changed))
            return try count(hits.count)
        case .merge(let merge):
            return try count(try execute(merge, binder: binder, sql: sql))
        case .createView(let name, let columns, let query, let orReplace):
            let key = name.joined(separator: ".").lowercased()
            if (views[key] != nil || tables[key] != nil) && !orReplace { throw SQLError(.syntax, "\(key) already exists", sql: sql) }
            let bound = try binder.bind(query)  // must bind now
            guard columns.count <= bound.schema.fields.count else {
                throw SQLError(.syntax, "view \(key) names \(columns.count) columns but its query returns \(bound.schema.fields.count)", sql: sql)
            }
            var stored = query
            if !columns.isEmpty {
                // Rename the output columns: wrap as SELECT * FROM (query) AS v(columns).
                var select = SQLSelect()
                select.items = [.wildcard(qualifier: nil, exclude: [])]
                select.from = [.subquery(query, alias: SQLAlias(name: key, columns: columns), lateral: false)]
                stored = SQLQuery(body: .select(select))
            }
            views[key] = stored
            return try count(0)
        }
    }

    /// A memory table by name, with the scope its columns bind in (qualified by `alias` when
    /// given, else by the table's name).
    private func memoryTable(_ name: [String], alias: String? = nil, binder: Binder, sql: String) throws(SQLError) -> (MemoryTable, Binder.Scope) {
        let key = name.joined(separator: ".").lowercased()
        guard let table = tables[key] as? MemoryTable else {
            throw SQLError(.unknownName, "no table \(key)", sql: sql, validNames: _closest(key, in: Array(tables.keys)))
        }
        return (table, Binder.Scope(columns: table.schema.fields.map { (Optional(alias ?? name.last!), $0.name, $0.dataType) }))
    }

    /// Throws when a CHECK constraint of `table` is false on one of `rows` (NULL passes).
    private func enforceChecks(_ table: MemoryTable, key: String, rows: RecordBatch, sql: String) throws(SQLError) {
        guard let constraints = checks[key], rows.count > 0 else { return }
        let binder = Binder(tables: tables, views: views, sql: sql, tableFunctions: tableFunctions)
        let scope = Binder.Scope(columns: table.schema.fields.map { (Optional(key), $0.name, $0.dataType) })
        for constraint in constraints {
            var bound = try binder.bindExpression(constraint, scope: scope)
            if bound.type != .boolean { bound = .cast(bound, .boolean) }
            let violated = try Executor.run(.filter(.values(rows), .compare(.equal, bound, .literal(.boolean(false), .boolean))))
            if violated.count > 0 {
                throw SQLError(.runtime, "CHECK constraint failed on \(key): \(_displayName(constraint))", sql: sql)
            }
        }
    }

    /// `UPDATE` whose values or condition hold subqueries: computed as a query over the table
    /// (so correlated subqueries decorrelate as in SELECT), then written back whole.
    private func updateWithSubqueries(_ name: [String], alias: String?, assignments: [SQLAssignment], condition: SQLExpression?,
                                      binder: Binder, sql: String) throws(SQLError) -> RecordBatch {
        let (table, scope) = try memoryTable(name, alias: alias, binder: binder, sql: sql)
        let position = assignments.first?.value.position ?? SourcePosition(offset: 0, line: 1, column: 1)
        let qualifier = alias ?? name.last!
        let hit: SQLExpression = condition.map { .isBoolean($0, value: true, negated: false, position) } ?? .literal(.boolean(true), position)
        var select = SQLSelect()
        select.from = [.table(name: name, alias: SQLAlias(name: qualifier, columns: []), position: position)]
        select.items = scope.columns.map { .expression(.column([qualifier, $0.name], position), alias: nil) }
        var targets: [Int] = []
        for assignment in assignments {
            let (k, _) = try scope.resolve([assignment.column], at: assignment.value.position, sql: sql)
            targets.append(k)
            // The new value only where the condition holds (NULL elsewhere, never computed there).
            let value: SQLExpression = condition == nil ? assignment.value
                : .caseWhen(operand: nil, branches: [SQLWhen(condition: hit, result: assignment.value)], otherwise: nil, position)
            select.items.append(.expression(value, alias: nil))
        }
        select.items.append(.expression(hit, alias: nil))
        let result = try Executor.run(try binder.bind(SQLQuery(body: .select(select))))
        let width = scope.columns.count
        do {
            guard case .boolean(let mask) = try Kernels.cast(result.columns[result.columns.count - 1], to: .boolean) else {
                throw SQLError(.internalError, "UPDATE condition is not BOOLEAN", sql: sql)
            }
            var columns = Array(result.columns.prefix(width))
            for (n, k) in targets.enumerated() {
                let type = table.schema.fields[k].dataType
                let value = result.columns[width + n]
                columns[k] = try _choose(mask, value.dataType == type ? value : try Kernels.cast(value, to: type), columns[k])
                if !table.schema.fields[k].isNullable && columns[k].nullCount > 0 {
                    throw SQLError(.runtime, "NOT NULL constraint failed: \(table.schema.fields[k].name)", sql: sql)
                }
            }
            for k in 0..<width where columns[k].dataType != table.schema.fields[k].dataType {
                columns[k] = try Kernels.cast(columns[k], to: table.schema.fields[k].dataType)
            }
            let replacement = try RecordBatch(schema: table.schema, columns: columns, count: result.count)
            try enforceChecks(table, key: name.joined(separator: ".").lowercased(), rows: replacement, sql: sql)
            table.replace(with: [replacement])
            return try count((0..<mask.count).filter { !mask.isNull($0) && mask.values[$0] }.count)
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "UPDATE: \(error)", sql: sql)
        }
    }

    /// `DELETE` whose condition holds subqueries: the rows it keeps, computed as a query.
    private func deleteWithSubqueries(_ name: [String], alias: String?, condition: SQLExpression, binder: Binder, sql: String) throws(SQLError) -> RecordBatch {
        let (table, scope) = try memoryTable(name, alias: alias, binder: binder, sql: sql)
        let position = condition.position
        let qualifier = alias ?? name.last!
        var select = SQLSelect()
        select.from = [.table(name: name, alias: SQLAlias(name: qualifier, columns: []), position: position)]
        select.items = scope.columns.map { .expression(.column([qualifier, $0.name], position), alias: nil) }
        select.whereClause = .unary(.not, .isBoolean(condition, value: true, negated: false, position), position)
        let before = table.rowCount
        let kept = try Executor.run(try binder.bind(SQLQuery(body: .select(select))))
        do {
            table.replace(with: [try RecordBatch(schema: table.schema, columns: kept.columns, count: kept.count)])
        } catch {
            throw SQLError(.runtime, "DELETE: \(error)", sql: sql)
        }
        return try count(before - kept.count)
    }

    /// `ALTER TABLE` on a memory table: the rows are rebuilt with the new schema.
    private func alter(_ name: [String], _ action: SQLAlterAction, binder: Binder, sql: String) throws(SQLError) -> RecordBatch {
        let key = name.joined(separator: ".").lowercased()
        if case .renameTable(let newName) = action, let view = views[key] {
            views[key] = nil
            views[newName.lowercased()] = view
            return try count(0)
        }
        if tables[key] == nil, let catalog, let target = try catalog.table(key, at: nil) {
            guard case .addColumn(let column, let defaultValue, let ifNotExists) = action, defaultValue == nil else {
                throw SQLError(.unsupported, "on catalog tables, ALTER TABLE supports ADD COLUMN without a default only", sql: sql)
            }
            if target.schema.fields.contains(where: { $0.name.lowercased() == column.name.lowercased() }) {
                if ifNotExists { return try count(0) }
                throw SQLError(.syntax, "column \(column.name) exists already", sql: sql)
            }
            try catalog.addColumn(to: key, Field(column.name, try binder.dataType(column.type, at: nil), nullable: true))
            return try count(0)
        }
        let (table, _) = try memoryTable(name, binder: binder, sql: sql)
        let rows = try Executor.run(.scan(name: key, table: table, request: SQLScanRequest()))
        var fields = table.schema.fields
        var columns = rows.columns
        func index(of column: String) -> Int? { fields.firstIndex { $0.name.lowercased() == column.lowercased() } }
        switch action {
        case .renameTable(let newName):
            let newKey = newName.lowercased()
            if newKey == key { return try count(0) }  // names are case-insensitive
            guard tables[newKey] == nil, views[newKey] == nil else { throw SQLError(.syntax, "\(newKey) already exists", sql: sql) }
            tables[key] = nil
            tables[newKey] = table
            checks[newKey] = checks.removeValue(forKey: key)
            return try count(0)
        case .columnDefault(let column):
            guard index(of: column) != nil else {
                throw SQLError(.unknownName, "no column \(column) in \(key)", sql: sql, validNames: _closest(column, in: fields.map(\.name)))
            }
            return try count(0)
        case .renameColumn(let old, let new):
            guard let k = index(of: old) else {
                throw SQLError(.unknownName, "no column \(old) in \(key)", sql: sql, validNames: _closest(old, in: fields.map(\.name)))
            }
            guard index(of: new) == nil else { throw SQLError(.syntax, "column \(new) already exists in \(key)", sql: sql) }
            fields[k] = Field(new, fields[k].dataType, nullable: fields[k].isNullable, metadata: fields[k].metadata)
        case .dropColumn(let column, let ifExists):
            guard let k = index(of: column) else {
                if ifExists { return try count(0) }
                throw SQLError(.unknownName, "no column \(column) in \(key)", sql: sql, validNames: _closest(column, in: fields.map(\.name)))
            }
            guard fields.count > 1 else { throw SQLError(.syntax, "cannot drop the only column of \(key)", sql: sql) }
            fields.remove(at: k)
            columns.remove(at: k)
        case .addColumn(let definition, let defaultValue, let ifNotExists):
            if index(of: definition.name) != nil {
                if ifNotExists { return try count(0) }
                throw SQLError(.syntax, "column \(definition.name) already exists in \(key)", sql: sql)
            }
            let type = try binder.dataType(definition.type, at: nil)
            var column: Column
            do {
                column = try Column.nulls(type, count: rows.count)
                if let defaultValue {
                    let value = try binder.bindExpression(defaultValue, scope: Binder.Scope(columns: []))
                    let one = try Kernels.cast(try value.evaluate(try RecordBatch.single()), to: type)
                    column = try Column(type, [Scalar](repeating: one.scalar(at: 0), count: rows.count))
                }
            } catch let error as SQLError {
                throw error
            } catch {
                throw SQLError(.runtime, "ALTER TABLE \(key): \(error)", sql: sql)
            }
            if definition.notNull && column.nullCount > 0 {
                throw SQLError(.runtime, "NOT NULL constraint failed: \(definition.name)", sql: sql)
            }
            fields.append(Field(definition.name, type, nullable: !definition.notNull))
            columns.append(column)
        }
        let schema = Schema(fields)
        do {
            tables[key] = MemoryTable(schema: schema, batches: rows.count == 0 ? [] : [try RecordBatch(schema: schema, columns: columns, count: rows.count)])
        } catch {
            throw SQLError(.internalError, "ALTER TABLE \(key): \(error)", sql: sql)
        }
        return try count(0)
    }

    /// Casts the inserted rows to the table's columns (by position, or by the named columns,
    /// the others NULL) and appends them.
    private func insert(_ rows: RecordBatch, into table: MemoryTable, key: String, columns names: [String], sql: String) throws(SQLError) -> Int {
        let appended = try conform(rows, to: table.schema, columns: names, sql: sql)
        try enforceChecks(table, key: key, rows: appended, sql: sql)
        table.append(appended)
        return rows.count
    }

    /// The inserted rows in a table's columns: by position, or by the named columns (the others
    /// NULL), cast to the column types, NOT NULL checked.
    private func conform(_ rows: RecordBatch, to schema: Schema, columns names: [String], sql: String) throws(SQLError) -> RecordBatch {
        let fields = schema.fields
        var positions: [Int] = Array(0..<Swift.min(fields.count, rows.columns.count))
        if !names.isEmpty {
            positions = []
            for name in names {
                guard let k = fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                    throw SQLError(.unknownName, "no column \(name)", sql: sql, validNames: _closest(name, in: fields.map(\.name)))
                }
                positions.append(k)
            }
        }
        guard positions.count == rows.columns.count else {
            throw SQLError(.syntax, "\(rows.columns.count) values for \(positions.count) columns", sql: sql)
        }
        do {
            var columns: [Column] = []
            for (k, field) in fields.enumerated() {
                if let source = positions.firstIndex(of: k) {
                    let value = rows.columns[source]
                    let cast = value.dataType == field.dataType ? value : try Kernels.cast(value, to: field.dataType)
                    if !field.isNullable && cast.nullCount > 0 {
                        throw SQLError(.runtime, "NOT NULL constraint failed: \(field.name)", sql: sql)
                    }
                    columns.append(cast)
                } else {
                    guard field.isNullable else { throw SQLError(.runtime, "NOT NULL constraint failed: \(field.name)", sql: sql) }
                    columns.append(try Column.nulls(field.dataType, count: rows.count))
                }
            }
            return try RecordBatch(schema: schema, columns: columns, count: rows.count)
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "\(error)", sql: sql)
        }
    }

    /// `DELETE FROM` a catalog table: the condition is bound here and evaluated by the catalog on
    /// each data file's rows.
    private func deleteFromCatalog(_ catalog: any SQLCatalog, key: String, schema: Schema, qualifier: String, condition: SQLExpression?,
                                   binder: Binder, sql: String) throws(SQLError) -> Int {
        guard let condition else { return try catalog.delete(from: key, where: nil) }
        if _containsSubquery(condition) {
            throw SQLError(.unsupported, "DELETE with a subquery is not supported on catalog tables yet", sql: sql)
        }
        let scope = Binder.Scope(columns: schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) })
        let bound = BoundExpression.isTrue(try binder.bindExpression(condition, scope: scope))
        let outputSchema = Schema([Field("matches", .boolean)])
        return try catalog.delete(from: key, where: { batch in
            let result = try Executor.run(.project(.values(batch), [bound], outputSchema))
            guard case .boolean(let mask) = result.columns[0] else { throw SQLError(.internalError, "the DELETE condition is not boolean") }
            return (0..<mask.count).map { !mask.isNull($0) && mask.values[$0] }
        })
    }

    /// An UPDATE's new row (every column: itself, or the value assigned to it, cast to its type)
    /// and its condition (true when there is none), bound over `scope`.
    private func boundUpdate(_ assignments: [SQLAssignment], condition: SQLExpression?, scope: Binder.Scope, binder: Binder,
                             sql: String) throws(SQLError) -> (values: [BoundExpression], changed: BoundExpression) {
        var expressions = scope.columns.enumerated().map { BoundExpression.column($0.offset, $0.element.type) }
        for assignment in assignments {
            let (k, type) = try scope.resolve([assignment.column], at: assignment.value.position, sql: sql)
            var value = try binder.bindExpression(assignment.value, scope: scope)
            if value.type != type { value = .cast(value, type) }
            expressions[k] = value
        }
        let changed = try condition.map { (c) throws(SQLError) -> BoundExpression in .isTrue(try binder.bindExpression(c, scope: scope)) }
            ?? .literal(.boolean(true), .boolean)
        return (expressions, changed)
    }

    /// `UPDATE` of a catalog table: the new values and the condition are bound here and
    /// evaluated by the catalog on each data file's rows; the changed rows are written anew and
    /// their old versions marked deleted, in one commit.
    private func updateCatalog(_ catalog: any SQLCatalog, key: String, schema: Schema, qualifier: String, assignments: [SQLAssignment],
                               condition: SQLExpression?, binder: Binder, sql: String) throws(SQLError) -> Int {
        if assignments.contains(where: { _containsSubquery($0.value) }) || condition.map(_containsSubquery) == true {
            throw SQLError(.unsupported, "UPDATE with a subquery is not supported on catalog tables yet", sql: sql)
        }
        let scope = Binder.Scope(columns: schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) })
        let (expressions, changed) = try boundUpdate(assignments, condition: condition, scope: scope, binder: binder, sql: sql)
        // `column op constant` conjuncts of the condition let the table skip files.
        let filters = try condition.map { (c) throws(SQLError) in try binder.bindExpression(c, scope: scope).conjuncts.compactMap(FilterIntoScan.scanFilter) } ?? []
        let outputSchema = Schema([Field("__changed", .boolean)] + schema.fields.map { Field($0.name, $0.dataType) })
        let projections = [changed] + expressions
        return try catalog.update(key, filters: filters) { batch in
            let result = try Executor.run(.project(.values(batch), projections, outputSchema))
            guard case .boolean(let mask) = result.columns[0] else { throw SQLError(.internalError, "the UPDATE condition is not boolean") }
            let flags = (0..<mask.count).map { !mask.isNull($0) && mask.values[$0] }
            let keep = BooleanColumn(values: Bitmap(flags))
            let columns = try result.columns.dropFirst().map { try Kernels.filter($0, keep) }
            let replacement = try RecordBatch(schema: schema, columns: columns, count: flags.lazy.filter { $0 }.count)
            return (flags, replacement)
        }
    }

    /// `CREATE TABLE` of a catalog table: the query's rows, or no rows with the declared columns.
    private func createCatalogTable(_ catalog: any SQLCatalog, key: String, columns: [SQLColumnDefinition], ifNotExists: Bool, orReplace: Bool,
                                    asQuery: SQLQuery?, binder: Binder, sql: String) throws(SQLError) -> RecordBatch {
        if !orReplace, try catalog.table(key, at: nil) != nil {
            if ifNotExists { return try count(0) }
            throw SQLError(.syntax, "table \(key) already exists", sql: sql)
        }
        if columns.contains(where: { !$0.checks.isEmpty }) {
            throw SQLError(.unsupported, "CHECK constraints are not supported on catalog tables yet", sql: sql)
        }
        var rows: RecordBatch
        if let asQuery {
            rows = try Executor.run(try binder.bind(asQuery))
            if !columns.isEmpty {
                guard columns.count <= rows.columns.count else {
                    throw SQLError(.syntax, "table \(key) declares \(columns.count) columns but the query returns \(rows.columns.count)", sql: sql)
                }
                var fields = rows.schema.fields
                var converted = rows.columns
                for (k, column) in columns.enumerated() {
                    let type = column.type.name.isEmpty ? rows.columns[k].dataType : try binder.dataType(column.type, at: nil)
                    do {
                        if converted[k].dataType != type { converted[k] = try Kernels.cast(converted[k], to: type) }
                    } catch {
                        throw SQLError(.runtime, "column \(column.name): \(error)", sql: sql)
                    }
                    fields[k] = Field(column.name, type, nullable: !column.notNull)
                }
                do { rows = try RecordBatch(schema: Schema(fields), columns: converted, count: rows.count) } catch {
                    throw SQLError(.internalError, "\(error)", sql: sql)
                }
            }
        } else {
            var fields: [Field] = []
            for column in columns { fields.append(Field(column.name, try binder.dataType(column.type, at: nil), nullable: !column.notNull)) }
            do {
                rows = try RecordBatch(schema: Schema(fields), columns: try fields.map { try Column.nulls($0.dataType, count: 0) }, count: 0)
            } catch {
                throw SQLError(.internalError, "\(error)", sql: sql)
            }
        }
        try catalog.createTable(key, rows: rows, replace: orReplace)
        return try count(rows.count)
    }

    private func count(_ n: Int) throws(SQLError) -> RecordBatch {
        do {
            return try RecordBatch(schema: Schema([Field("Count", .int64)]), columns: [.int64(PrimitiveColumn([Int64(n)]))])
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }
}

// MARK: MERGE INTO

/// A `WHEN` clause of a MERGE, bound: its condition and, for UPDATE and INSERT, one expression
/// per target column (over the target's columns then the source's for WHEN MATCHED, over the
/// source's for WHEN NOT MATCHED).
private struct BoundMergeClause: Sendable {
    enum Kind: Sendable { case update, delete, insert, nothing }
    var kind: Kind
    var condition: BoundExpression?
    var values: [BoundExpression]
}

/// Counts of what a MERGE did, shared by the batches of the target.
private final class MergeProgress: Sendable {
    /// Which source rows matched some target row.
    let matched: Mutex<[Bool]>
    let counts = Mutex<(updated: Int, deleted: Int, inserted: Int)>((0, 0, 0))

    init(sourceRows: Int) {
        matched = Mutex([Bool](repeating: false, count: sourceRows))
    }
}

extension SQLSession {
    /// `MERGE INTO target USING source ON condition WHEN …`: the source's rows are computed
    /// first; each batch of the target's rows is hash-joined with them on the condition's
    /// equalities. A matched target row goes to the first WHEN MATCHED clause whose condition
    /// holds (UPDATE: replaced by its new version; DELETE: removed); a source row that matched
    /// no target row goes to the first WHEN NOT MATCHED clause whose condition holds (INSERT).
    /// A target row matched by two source rows is an error, as in the SQL standard. On a
    /// catalog table the whole statement is one commit; returns the rows changed.
    private func execute(_ merge: SQLMerge, binder: Binder, sql: String) throws(SQLError) -> Int {
        let key = merge.table.joined(separator: ".").lowercased()
        let memory = tables[key] as? MemoryTable
        var catalogTarget: (any SQLCatalog)?
        let targetSchema: Schema
        if let memory {
            targetSchema = memory.schema
        } else if tables[key] == nil, let catalog, let target = try catalog.table(key, at: nil) {
            targetSchema = target.schema
            catalogTarget = catalog
        } else {
            let known = Array(tables.keys) + ((try? catalog?.tableNames()) ?? [])
            throw SQLError(.unknownName, "no table \(key) to merge into", at: merge.position, sql: sql, validNames: _closest(key, in: known))
        }
        if _containsSubquery(merge.condition) || merge.clauses.contains(where: { clause in
            clause.condition.map(_containsSubquery) == true || {
                switch clause.action {
                case .update(let assignments): return assignments.contains { _containsSubquery($0.value) }
                case .insert(_, let values): return values.contains(where: _containsSubquery)
                default: return false
                }
            }()
        }) {
            throw SQLError(.unsupported, "MERGE with a subquery in its conditions or values is not supported yet", at: merge.position, sql: sql)
        }

        // The source's rows, and the names its columns are known by.
        var select = SQLSelect()
        select.items = [.wildcard(qualifier: nil, exclude: [])]
        select.from = [merge.source]
        let source = try Executor.run(try binder.bind(SQLQuery(body: .select(select))))
        let sourceName: String?
        switch merge.source {
        case .table(let name, let alias, _), .versionedTable(let name, _, let alias, _): sourceName = alias?.name ?? name.last
        case .subquery(_, let alias, _): sourceName = alias?.name
        case .function(let name, _, let alias, _): sourceName = alias?.name ?? name
        case .join: sourceName = nil
        }
        let targetName = merge.alias ?? merge.table.last!
        let width = targetSchema.fields.count
        let targetColumns = targetSchema.fields.map { (qualifier: Optional(targetName), name: $0.name, type: $0.dataType) }
        let sourceColumns = source.schema.fields.map { (qualifier: sourceName, name: $0.name, type: $0.dataType) }
        let both = Binder.Scope(columns: targetColumns + sourceColumns)
        let sourceScope = Binder.Scope(columns: sourceColumns)

        func condition(_ expression: SQLExpression, _ scope: Binder.Scope) throws(SQLError) -> BoundExpression {
            var bound = try binder.bindExpression(expression, scope: scope)
            if bound.type != .boolean { bound = .cast(bound, .boolean) }
            return bound
        }
        func sourceColumn(_ name: String, at position: SourcePosition) throws(SQLError) -> BoundExpression {
            guard let j = source.schema.fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw SQLError(.unknownName, "the source of the MERGE has no column \(name) (SET * and INSERT * take every column of \(key) from the source)",
                               at: position, sql: sql, validNames: _closest(name, in: source.schema.fields.map(\.name)))
            }
            return .column(j, source.schema.fields[j].dataType)
        }
        func fitted(_ value: BoundExpression, _ k: Int) -> BoundExpression {
            let type = targetSchema.fields[k].dataType
            return value.type == type ? value : .cast(value, type)
        }
        let on = JoinCondition.split(try condition(merge.condition, both), leftWidth: width)
        var matchedDraft: [BoundMergeClause] = [], insertDraft: [BoundMergeClause] = [], unmatchedDraft: [BoundMergeClause] = []
        let targetScope = Binder.Scope(columns: targetColumns)
        for clause in merge.clauses {
            let scope: Binder.Scope
            switch clause.target {
            case .matched: scope = both
            case .notMatchedByTarget: scope = sourceScope
            case .notMatchedBySource: scope = targetScope
            }
            let guardCondition = try clause.condition.map { (c) throws(SQLError) -> BoundExpression in try condition(c, scope) }
            var bound = BoundMergeClause(kind: .nothing, condition: guardCondition, values: [])
            switch clause.action {
            case .nothing:
                break
            case .delete:
                bound.kind = .delete
            case .update(let assignments):
                bound.kind = .update
                bound.values = targetSchema.fields.enumerated().map { BoundExpression.column($0.offset, $0.element.dataType) }
                for assignment in assignments {
                    // The assigned column is the target's, whatever the source calls its own.
                    let (k, _) = try targetScope.resolve([assignment.column], at: assignment.value.position, sql: sql)
                    bound.values[k] = fitted(try binder.bindExpression(assignment.value, scope: scope), k)
                }
            case .updateAll:
                bound.kind = .update
                for (k, field) in targetSchema.fields.enumerated() {
                    bound.values.append(fitted(try sourceColumn(field.name, at: clause.position).shifted(by: width), k))
                }
            case .insert(let columns, let values):
                bound.kind = .insert
                let names = columns.isEmpty ? targetSchema.fields.map(\.name) : columns
                guard names.count == values.count else {
                    throw SQLError(.syntax, "INSERT gives \(values.count) values for the \(names.count) columns of \(key)", at: clause.position, sql: sql)
                }
                bound.values = targetSchema.fields.map { BoundExpression.literal(.null, $0.dataType) }
                for (name, value) in zip(names, values) {
                    let (k, _) = try targetScope.resolve([name], at: value.position, sql: sql)
                    bound.values[k] = fitted(try binder.bindExpression(value, scope: sourceScope), k)
                }
            case .insertAll:
                bound.kind = .insert
                for (k, field) in targetSchema.fields.enumerated() {
                    bound.values.append(fitted(try sourceColumn(field.name, at: clause.position), k))
                }
            }
            switch clause.target {
            case .matched: matchedDraft.append(bound)
            case .notMatchedByTarget: insertDraft.append(bound)
            case .notMatchedBySource: unmatchedDraft.append(bound)
            }
        }

        let (matchedClauses, insertClauses, unmatchedClauses) = (matchedDraft, insertDraft, unmatchedDraft)
        let progress = MergeProgress(sourceRows: source.count)
        let statement = sql
        // Which rows each clause takes: the first clause whose condition holds.
        @Sendable func assign(_ clauses: [BoundMergeClause], _ rows: RecordBatch) throws -> [Int] {
            var taken = [Int](repeating: -1, count: rows.count)
            for (c, clause) in clauses.enumerated() {
                guard let test = clause.condition else {
                    for row in taken.indices where taken[row] < 0 { taken[row] = c }
                    break
                }
                let result = try Executor.run(.project(.values(rows), [.isTrue(test)], Schema([Field("hit", .boolean)])))
                guard case .boolean(let mask) = result.columns[0] else { throw SQLError(.internalError, "a MERGE condition is not boolean") }
                for row in taken.indices where taken[row] < 0 && !mask.isNull(row) && mask.values[row] { taken[row] = c }
            }
            return taken
        }
        @Sendable func selectRows(_ clause: BoundMergeClause, of input: RecordBatch, _ picked: [UInt32]) throws -> RecordBatch {
            let selection = SelectionVector(indices: ValueBuffer(picked))
            let chosen = try RecordBatch(schema: input.schema, columns: try input.columns.map { try Kernels.take($0, selection) }, count: picked.count)
            let result = try Executor.run(.project(.values(chosen), clause.values, targetSchema))
            return try RecordBatch(schema: targetSchema, columns: result.columns, count: result.count)
        }
        let combinedSchema = Schema((0..<(width + source.schema.fields.count)).map { k in
            Field("c\(k)", k < width ? targetSchema.fields[k].dataType : source.schema.fields[k - width].dataType)
        })
        let transform: @Sendable (RecordBatch) throws -> (removed: [Bool], added: RecordBatch?) = { batch in
            let (li, ri) = try Executor.matchingPairs(batch, source, on)
            var removed = [Bool](repeating: false, count: batch.count)
            var seen = [Bool](repeating: false, count: batch.count)
            for l in li {
                guard !seen[Int(l)] else {
                    throw SQLError(.runtime, "MERGE: a row of \(key) matches more than one row of the source; make the ON condition match at most one",
                                   sql: statement)
                }
                seen[Int(l)] = true
            }
            if !ri.isEmpty { progress.matched.withLock { matched in for r in ri { matched[Int(r)] = true } } }
            var added: [RecordBatch] = []
            var updated = 0, deleted = 0
            // Applies the clauses to `rows`, whose row r is the target's row `target[r]`.
            func apply(_ clauses: [BoundMergeClause], _ rows: RecordBatch, target: [UInt32]) throws {
                guard !clauses.isEmpty, rows.count > 0 else { return }
                let taken = try assign(clauses, rows)
                for (c, clause) in clauses.enumerated() where clause.kind == .update || clause.kind == .delete {
                    let picked = taken.indices.filter { taken[$0] == c }.map { UInt32($0) }
                    guard !picked.isEmpty else { continue }
                    for p in picked { removed[Int(target[Int(p)])] = true }
                    if clause.kind == .update {
                        added.append(try selectRows(clause, of: rows, picked))
                        updated += picked.count
                    } else {
                        deleted += picked.count
                    }
                }
            }
            if !li.isEmpty, !matchedClauses.isEmpty {
                let left = SelectionVector(indices: ValueBuffer(li)), right = SelectionVector(indices: ValueBuffer(ri))
                let pairs = try RecordBatch(schema: combinedSchema,
                                            columns: try batch.columns.map { try Kernels.take($0, left) } + source.columns.map { try Kernels.take($0, right) },
                                            count: li.count)
                try apply(matchedClauses, pairs, target: li)
            }
            if !unmatchedClauses.isEmpty {
                let lonely = seen.indices.filter { !seen[$0] }.map { UInt32($0) }
                if !lonely.isEmpty {
                    let selection = SelectionVector(indices: ValueBuffer(lonely))
                    let rows = try RecordBatch(schema: batch.schema, columns: try batch.columns.map { try Kernels.take($0, selection) }, count: lonely.count)
                    try apply(unmatchedClauses, rows, target: lonely)
                }
            }
            progress.counts.withLock { $0.updated += updated; $0.deleted += deleted }
            guard !added.isEmpty else { return (removed, nil) }
            let merged = try RecordBatch(schema: targetSchema, columns: try (0..<width).map { k in try Kernels.concatenate(added.map { $0.columns[k] }) })
            return (removed, merged)
        }
        let final: @Sendable () throws -> RecordBatch? = {
            let unmatched = progress.matched.withLock { matched in matched.indices.filter { !matched[$0] }.map { UInt32($0) } }
            guard !unmatched.isEmpty, !insertClauses.isEmpty else { return nil }
            let selection = SelectionVector(indices: ValueBuffer(unmatched))
            let candidates = try RecordBatch(schema: source.schema, columns: try source.columns.map { try Kernels.take($0, selection) }, count: unmatched.count)
            let taken = try assign(insertClauses, candidates)
            var inserted: [RecordBatch] = []
            for (c, clause) in insertClauses.enumerated() where clause.kind == .insert {
                let picked = taken.indices.filter { taken[$0] == c }.map { UInt32($0) }
                if !picked.isEmpty { inserted.append(try selectRows(clause, of: candidates, picked)) }
            }
            let count = inserted.reduce(0) { $0 + $1.count }
            progress.counts.withLock { $0.inserted += count }
            guard !inserted.isEmpty else { return nil }
            return try RecordBatch(schema: targetSchema, columns: try (0..<width).map { k in try Kernels.concatenate(inserted.map { $0.columns[k] }) })
        }

        if let catalogTarget {
            let (updated, deleted, inserted) = try catalogTarget.merge(into: key, transform, then: final)
            return updated + deleted + inserted
        }
        guard let memory else { throw SQLError(.internalError, "MERGE lost its target", sql: sql) }
        do {
            let batch = try Executor.run(.scan(name: key, table: memory, request: SQLScanRequest()))
            let (removed, added) = try transform(batch)
            let mask = BooleanColumn(values: Bitmap(removed.map { !$0 }))
            let kept = removed.lazy.filter { !$0 }.count
            var parts = [try RecordBatch(schema: memory.schema, columns: try batch.columns.map { try Kernels.filter($0, mask) }, count: kept)]
            var fresh: [RecordBatch] = []
            if let added { fresh.append(added) }
            if let extra = try final() { fresh.append(extra) }
            for rows in fresh { try enforceChecks(memory, key: key, rows: rows, sql: sql) }
            parts += fresh
            memory.replace(with: parts)
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "MERGE: \(error)", sql: sql)
        }
        let counts = progress.counts.withLock { $0 }
        return counts.updated + counts.deleted + counts.inserted
    }
}
