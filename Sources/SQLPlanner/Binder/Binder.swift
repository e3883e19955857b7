import ColumnarCore

/// Resolves names and types of a parsed query into a ``LogicalPlan``.
///
/// This first binder covers single-table (or table-less) SELECTs: expressions, WHERE, GROUP BY
/// with count/sum/min/max/avg, HAVING, DISTINCT, ORDER BY (names, aliases, ordinals), LIMIT and
/// OFFSET, and VALUES. Joins, subqueries and set operations throw `.unsupported` for now.
struct Binder {
    var tables: [String: any SQLTableProvider]
    var views: [String: SQLQuery] = [:]
    let sql: String
    /// `/` between integers divides as integers (SQLite and PostgreSQL) instead of giving a
    /// DOUBLE (DuckDB, the default).
    var integerDivision = false
    /// Table functions by lower-case name (`read_parquet`).
    var tableFunctions: [String: any SQLTableFunction] = [:]
    /// Where names the session does not hold are looked up (a lakehouse's datasets).
    var catalog: (any SQLCatalog)?
    /// The scope of the enclosing query, whose columns a correlated subquery may read.
    var outerScope: Scope?
    /// The values of a prepared statement's parameters (`$1` is the first), as constants.
    var parameters: [BoundExpression] = []
    /// Where subqueries met in an expression are collected (nil where none may appear).
    var subqueries: SubqueryCollector?

    /// The columns visible to an expression: (qualifier, name, type) by input position.
    struct Scope {
        var columns: [(qualifier: String?, name: String, type: DataType)]

        func resolve(_ parts: [String], at position: SourcePosition, sql: String) throws(SQLError) -> (Int, DataType) {
            let name = parts.last!.lowercased()
            let qualifier = parts.count > 1 ? parts[parts.count - 2].lowercased() : nil
            var matches = columns.indices.filter {
                columns[$0].name.lowercased() == name && (qualifier == nil || columns[$0].qualifier?.lowercased() == qualifier)
            }
            if matches.isEmpty && qualifier != nil {
                // `t2.a` after `JOIN t2 USING (a)`: the copy of `a` the join hides.
                matches = columns.indices.filter {
                    columns[$0].name.lowercased() == _hiddenPrefix + "using_" + name && columns[$0].qualifier?.lowercased() == qualifier
                }
            }
            if matches.isEmpty && name == "rowid" {
                // The hidden `rowid` of a memory table.
                matches = columns.indices.filter {
                    columns[$0].name == RowIDTable.columnName && (qualifier == nil || columns[$0].qualifier?.lowercased() == qualifier)
                }
            }
            guard let first = matches.first else {
                let names = columns.filter { !$0.name.hasPrefix(_hiddenPrefix) }.map { ($0.qualifier.map { $0 + "." } ?? "") + $0.name }
                throw SQLError(.unknownName, "no column \(parts.joined(separator: "."))", at: position, sql: sql,
                               validNames: _closest(parts.joined(separator: "."), in: names))
            }
            guard matches.count == 1 else {
                throw SQLError(.syntax, "column \(parts.joined(separator: ".")) is ambiguous", at: position, sql: sql)
            }
            return (first, columns[first].type)
        }
    }

    /// This binder for another query: the same tables, views and functions, no enclosing scope.
    func fresh() -> Binder {
        var binder = self
        binder.outerScope = nil
        binder.subqueries = nil
        return binder
    }

    func error(_ code: SQLError.Code, _ message: String, at position: SourcePosition?) -> SQLError {
        SQLError(code, message, at: position, sql: sql)
    }

    // MARK: Queries

    func bind(_ query: SQLQuery) throws(SQLError) -> LogicalPlan {
        if !query.with.isEmpty {
            // Common table expressions are views of this query; a recursive one is computed
            // here, to a fixpoint, into a table.
            var binder = self
            for cte in query.with {
                if query.recursive, let table = try binder.recursiveTable(cte) {
                    binder.tables[cte.name.lowercased()] = table
                    binder.views[cte.name.lowercased()] = nil
                    continue
                }
                var stored = cte.query
                if !cte.columns.isEmpty {
                    var select = SQLSelect()
                    select.items = [.wildcard(qualifier: nil, exclude: [])]
                    select.from = [.subquery(cte.query, alias: SQLAlias(name: cte.name, columns: cte.columns), lateral: false)]
                    stored = SQLQuery(body: .select(select))
                }
                binder.views[cte.name.lowercased()] = stored
            }
            var rest = query
            rest.with = []
            return try binder.bind(rest)
        }
        var plan: LogicalPlan
        var outputScope: Scope
        switch query.body {
        case .select(let select):
            (plan, outputScope) = try bindSelect(select, orderBy: query.orderBy)
        case .values(let rows):
            plan = .values(try valuesBatch(rows))
            outputScope = Scope(columns: plan.schema.fields.map { (nil, $0.name, $0.dataType) })
            if !query.orderBy.isEmpty { plan = .sort(plan, try bindOrder(query.orderBy, output: outputScope, plan: plan)) }
        case .query(let inner):
            plan = try bind(inner)
            outputScope = Scope(columns: plan.schema.fields.map { (nil, $0.name, $0.dataType) })
            if !query.orderBy.isEmpty { plan = .sort(plan, try bindOrder(query.orderBy, output: outputScope, plan: plan)) }
        case .setOperation:
            plan = try bindSetExpression(query.body)
            outputScope = Scope(columns: plan.schema.fields.map { (nil, $0.name, $0.dataType) })
            if !query.orderBy.isEmpty { plan = .sort(plan, try bindOrder(query.orderBy, output: outputScope, plan: plan)) }
        }
        if query.limit != nil || query.offset != nil {
            plan = .limit(plan, limit: try constantInteger(query.limit), offset: try constantInteger(query.offset) ?? 0)
        }
        return plan
    }

    /// A set operation: both sides bound, their columns cast to common types.
    func bindSetExpression(_ body: SQLSetExpression) throws(SQLError) -> LogicalPlan {
        switch body {
        case .setOperation(let op, let all, let left, let right):
            var l = try bindSetExpression(left)
            var r = try bindSetExpression(right)
            let lf = l.schema.fields
            let rf = r.schema.fields
            guard lf.count == rf.count else {
                throw error(.syntax, "\(op.rawValue) needs the same number of columns on both sides (\(lf.count) and \(rf.count))", at: nil)
            }
            var types: [DataType] = []
            for (a, b) in zip(lf, rf) {
                guard let common = _commonType(a.dataType, b.dataType) else {
                    throw error(.typeMismatch, "\(op.rawValue) cannot combine \(a.dataType) and \(b.dataType)", at: nil)
                }
                types.append(common)
            }
            func conform(_ plan: LogicalPlan, _ fields: [Field]) -> LogicalPlan {
                guard zip(fields, types).contains(where: { $0.dataType != $1 }) else { return plan }
                let expressions = fields.enumerated().map { k, f in f.dataType == types[k] ? BoundExpression.column(k, f.dataType) : .cast(.column(k, f.dataType), types[k]) }
                return .project(plan, expressions, Schema(zip(lf, types).map { Field($0.name, $1) }))
            }
            l = conform(l, lf)
            r = conform(r, rf)
            return .setOperation(op, all: all, l, r)
        case .select(let select):
            return try bindSelect(select, orderBy: []).0
        case .values(let rows):
            return .values(try valuesBatch(rows))
        case .query(let inner):
            return try bind(inner)
        }
    }

    /// The value of a LIMIT or OFFSET: a constant expression, a parameter or an uncorrelated
    /// scalar subquery, computed once; NULL means no limit.
    func constantInteger(_ expression: SQLExpression?) throws(SQLError) -> Int? {
        guard let expression else { return nil }
        if case .literal(.integer(let digits), _) = expression, let value = Int(digits), value >= 0 { return value }
        let value: Column
        if case .subquery(let query, _) = expression {
            let result = try Executor.run(try fresh().bind(query))
            guard result.columns.count == 1 else {
                throw error(.syntax, "a LIMIT or OFFSET subquery must return one column", at: expression.position)
            }
            guard result.count <= 1 else {
                throw error(.runtime, "a LIMIT or OFFSET subquery returned more than one row", at: expression.position)
            }
            guard result.count == 1 else { return nil }
            value = result.columns[0]
        } else {
            let bound = try fresh().bindExpression(expression, scope: Scope(columns: []))
            do {
                value = try bound.evaluate(try RecordBatch.single())
            } catch {
                throw self.error(.runtime, "LIMIT and OFFSET: \(error)", at: expression.position)
            }
        }
        let integer: Column
        do {
            integer = try Kernels.cast(value, to: .int64)
        } catch {
            throw self.error(.runtime, "LIMIT and OFFSET take an integer: \(error)", at: expression.position)
        }
        guard integer.count > 0, case .int64(let n) = integer.scalar(at: 0) else { return nil }
        guard n >= 0 else { throw self.error(.runtime, "LIMIT and OFFSET must not be negative (found \(n))", at: expression.position) }
        return Int(n)
    }

    /// The rows of a VALUES list as one batch. With `targetTypes` (INSERT … VALUES), each
    /// column is cast straight to its target's type (`'inf'` and `1` in a DOUBLE column);
    /// otherwise the column takes the common type of its values.
    func valuesBatch(_ rows: [[SQLExpression]], targetTypes: [DataType?] = []) throws(SQLError) -> RecordBatch {
        guard let width = rows.first?.count, width > 0 else { throw error(.syntax, "VALUES needs at least one value", at: nil) }
        let empty = try RecordBatch.single()
        var columns: [[BoundExpression]] = Array(repeating: [], count: width)
        for row in rows {
            guard row.count == width else { throw error(.syntax, "VALUES rows have \(width) values each", at: row.first?.position) }
            for (k, value) in row.enumerated() { columns[k].append(try bindExpression(value, scope: Scope(columns: []))) }
        }
        var fields: [Field] = []
        var built: [Column] = []
        for (k, values) in columns.enumerated() {
            // An untyped NULL takes the column's type.
            let typed = values.filter { if case .literal(.null, _) = $0 { return false }; return true }
            var type = typed.first?.type ?? .int32
            let target = k < targetTypes.count ? targetTypes[k] : nil
            if let target { type = target }
            for value in typed.dropFirst() where target == nil {
                guard let common = _commonType(type, value.type) else {
                    throw error(.typeMismatch, "VALUES column \(k + 1) mixes \(type) and \(value.type)", at: rows[0][k].position)
                }
                type = common
            }
            var scalars: [Scalar] = []
            for value in values {
                let column = try BoundExpression.cast(value, type).evaluate(empty)
                scalars.append(column.scalar(at: 0))
            }
            do {
                built.append(try Column(type, scalars))
            } catch {
                throw self.error(.internalError, "VALUES: \(error)", at: nil)
            }
            fields.append(Field("col\(k)", type))
        }
        do {
            return try RecordBatch(schema: Schema(fields), columns: built, count: rows.count)
        } catch {
            throw self.error(.internalError, "VALUES: \(error)", at: nil)
        }
    }

    func bindSelect(_ select: SQLSelect, orderBy: [SQLOrderItem]) throws(SQLError) -> (LogicalPlan, Scope) {
        try bindSelect(select, orderBy: orderBy, source: nil, passThrough: [])
    }

    /// The FROM clause's plan and scope.
    func bindFrom(_ from: [SQLTableReference]) throws(SQLError) -> (LogicalPlan, Scope) {
        guard let first = from.first else { return (.values(try RecordBatch.single()), Scope(columns: [])) }
        var (plan, scope) = try bindTable(first)
        for reference in from.dropFirst() {
            let (right, rightScope) = try bindTable(reference)
            (plan, scope) = cross(plan, scope, right, rightScope)
        }
        return (plan, scope)
    }

    /// `plan` filtered by `condition`; conjuncts with subqueries are applied after the others,
    /// each subquery joined to the rows (and its columns dropped again after the filter).
    func filter(_ plan: LogicalPlan, scope: Scope, by condition: SQLExpression, hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)? = nil, clause: String) throws(SQLError) -> LogicalPlan {
        var plan = plan
        let conjuncts = _sqlConjuncts(condition)
        var simple: [BoundExpression] = []
        for conjunct in conjuncts where !_containsSubquery(conjunct) {
            let bound = try bindExpression(conjunct, scope: scope, hook: hook)
            guard bound.type == .boolean || bound.isUntypedNull else { throw error(.typeMismatch, "\(clause) needs a BOOLEAN, found \(bound.type)", at: conjunct.position) }
            simple.append(bound.isUntypedNull ? .cast(bound, .boolean) : bound)
        }
        if let all = _conjunction(simple) { plan = .filter(plan, all) }
        let width = scope.columns.count
        for conjunct in conjuncts where _containsSubquery(conjunct) {
            let collector = SubqueryCollector(base: width)
            var binder = self
            binder.subqueries = collector
            let bound = try binder.bindExpression(conjunct, scope: scope, hook: hook)
            guard bound.type == .boolean else { throw error(.typeMismatch, "\(clause) needs a BOOLEAN, found \(bound.type)", at: conjunct.position) }
            plan = try collector.apply(to: plan, binder: self)
            plan = .filter(plan, bound)
            plan = _keepColumns(plan, width)
        }
        return plan
    }

    /// Binds a SELECT. `source` replaces the FROM and WHERE clauses (decorrelation builds it);
    /// `passThrough` columns of the source are kept as extra group keys and trailing outputs,
    /// followed by a TRUE column (NULL after an outer join means "no rows").
    func bindSelect(_ select: SQLSelect, orderBy: [SQLOrderItem], source: (LogicalPlan, Scope)?, passThrough: [Int]) throws(SQLError) -> (LogicalPlan, Scope) {
        if !select.distinctOn.isEmpty {
            return try bindSelect(_distinctOnAsQualify(select, orderBy: orderBy), orderBy: orderBy, source: source, passThrough: passThrough)
        }
        var plan: LogicalPlan
        var scope: Scope
        if let source {
            (plan, scope) = source
        } else {
            (plan, scope) = try bindFrom(select.from)
            if let condition = select.whereClause {
                plan = try filter(plan, scope: scope, by: condition, clause: "WHERE")
            }
        }
        // Aggregation.
        let hasAggregates = select.items.contains { if case .expression(let e, _) = $0 { return _containsAggregate(e) }; return false }
            || select.having.map(_containsAggregate) ?? false
        var itemScope = scope
        var groupExpressions: [SQLExpression] = []
        var aggregateCalls: [SQLFunctionCall] = []
        var hook: ((SQLExpression) throws(SQLError) -> BoundExpression?)? = nil
        var groupBy = select.groupBy
        if groupBy.count == 1, case .star = groupBy[0] {
            groupBy = select.items.compactMap { item in
                if case .expression(let e, _) = item, !_containsAggregate(e), !_containsWindow(e) { return e }
                return nil
            }
        }
        let aggregating = hasAggregates || !select.groupBy.isEmpty || select.having != nil
        if aggregating {
            groupExpressions = try groupBy.map { (g) throws(SQLError) -> SQLExpression in
                // GROUP BY ordinal: the select item.
                if case .literal(.integer(let digits), let p) = g, let k = Int(digits) {
                    guard k >= 1, k <= select.items.count, case .expression(let e, _) = select.items[k - 1] else {
                        throw error(.syntax, "GROUP BY \(k) is not a select item", at: p)
                    }
                    return e
                }
                // GROUP BY an alias of a select item (when no input column has that name).
                if case .column(let parts, _) = g, parts.count == 1, (try? scope.resolve(parts, at: g.position, sql: sql)) == nil,
                   let item = select.items.first(where: { if case .expression(_, let alias?) = $0 { return alias.lowercased() == parts[0].lowercased() }; return false }),
                   case .expression(let e, _) = item {
                    return e
                }
                return g
            }
            for item in select.items { if case .expression(let e, _) = item { _collectAggregates(e, into: &aggregateCalls) } }
            if let having = select.having { _collectAggregates(having, into: &aggregateCalls) }
            for item in orderBy { _collectAggregates(item.expression, into: &aggregateCalls) }
            var groups = try groupExpressions.map { (g) throws(SQLError) -> BoundExpression in try bindExpression(g, scope: scope) }
            groups += passThrough.map { BoundExpression.column($0, scope.columns[$0].type) }
            // Aggregates are the same when their bound forms are (resolved columns, exact
            // literals): `sum(a.x)` and `sum(b.x)` differ, `sum(x)` and `SUM(t.x)` do not.
            var aggregates: [BoundAggregate] = []
            var aggregateKeys: [String] = []
            for call in aggregateCalls {
                let bound = try bindAggregate(call, scope: scope)
                if !aggregateKeys.contains(bound.key) {
                    aggregates.append(bound)
                    aggregateKeys.append(bound.key)
                }
            }
            let groupKeys = groups.map(\.description)
            var fields: [Field] = []
            for (k, g) in groups.enumerated() { fields.append(Field("group\(k)", g.type)) }
            for (k, a) in aggregates.enumerated() { fields.append(Field("aggregate\(k)", a.type)) }
            plan = .aggregate(plan, groups: groups, aggregates: aggregates, Schema(fields))
            itemScope = Scope(columns: fields.map { (nil, $0.name, $0.dataType) })
            let innerScope = itemScope
            let inputScope = scope
            let offset = groups.count
            let sqlGroupCount = groupExpressions.count
            hook = { (e) throws(SQLError) -> BoundExpression? in
                try self.afterAggregate(e, groupKeys: Array(groupKeys.prefix(sqlGroupCount)), aggregateKeys: aggregateKeys, aggregateOffset: offset,
                                        inputScope: inputScope, scope: innerScope)
            }
            if let having = select.having {
                plan = try filter(plan, scope: itemScope, by: having, hook: hook, clause: "HAVING")
            }
        } else if let having = select.having {
            plan = try filter(plan, scope: scope, by: having, clause: "HAVING")
        }
        // Window functions: computed over the rows after grouping, one column per call.
        var windowCalls: [SQLFunctionCall] = []
        for item in select.items { if case .expression(let e, _) = item { _collectWindowCalls(e, into: &windowCalls) } }
        for item in orderBy { _collectWindowCalls(item.expression, into: &windowCalls) }
        if let qualify = select.qualify { _collectWindowCalls(qualify, into: &windowCalls) }
        if !windowCalls.isEmpty {
            let base = itemScope.columns.count
            let windows = try bindWindows(windowCalls, scope: itemScope, hook: hook, named: select.windows)
            plan = .window(plan, windows, Schema(plan.schema.fields + windows.enumerated().map { Field("__window\($0.offset)", $0.element.type) }))
            itemScope.columns += windows.enumerated().map { (nil, "__window\($0.offset)", $0.element.type) }
            let previous = hook
            let calls = windowCalls
            let scopeAfter = itemScope
            hook = { (e) throws(SQLError) -> BoundExpression? in
                if case .function(let call) = e, call.over != nil, let k = calls.firstIndex(of: call) {
                    return .column(base + k, scopeAfter.columns[base + k].type)
                }
                return try previous?(e)
            }
        }
        if let qualify = select.qualify {
            let width = itemScope.columns.count
            plan = try filter(plan, scope: itemScope, by: qualify, hook: hook, clause: "QUALIFY")
            plan = _keepColumns(plan, width)
        }
        // Projection (subqueries in the items are joined to the rows first).
        let collector = SubqueryCollector(base: itemScope.columns.count)
        var itemBinder = self
        itemBinder.subqueries = collector
        var expressions: [BoundExpression] = []
        var fields: [Field] = []
        for item in select.items {
            switch item {
            case .wildcard(let qualifier, let exclude):
                guard !aggregating else {
                    throw error(.syntax, "* cannot be used with GROUP BY or aggregates", at: nil)
                }
                if let qualifier, !scope.columns.contains(where: { $0.qualifier?.lowercased() == qualifier.lowercased() }) {
                    throw error(.unknownName, "no table \(qualifier) in FROM", at: nil)
                }
                for (k, column) in scope.columns.enumerated()
                where (qualifier == nil || column.qualifier?.lowercased() == qualifier?.lowercased()) && !exclude.contains(where: { $0.lowercased() == column.name.lowercased() })
                    && !column.name.hasPrefix(_hiddenPrefix) {
                    expressions.append(.column(k, column.type))
                    fields.append(Field(column.name, column.type))
                }
            case .expression(let e, let alias):
                let bound = try itemBinder.bindExpression(e, scope: itemScope, hook: hook)
                expressions.append(bound)
                fields.append(Field(alias ?? _displayName(e), bound.type))
            }
        }
        let visible = fields.count
        let outputScope = Scope(columns: fields.map { (nil, $0.name, $0.dataType) })
        // ORDER BY keys: select items (by alias, ordinal or expression), or — as DuckDB allows —
        // expressions over the input, carried as hidden columns and dropped after the sort.
        var keys: [BoundOrder] = []
        for item in _expandOrderByAll(orderBy, count: visible) {
            if case .literal(.integer, _) = item.expression {
                keys += try bindOrder([item], output: outputScope, plan: plan)  // ordinals must be select items
                continue
            }
            if let key = try? bindOrder([item], output: outputScope, plan: plan).first {
                keys.append(key)
                continue
            }
            if select.distinct {
                throw error(.syntax, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list", at: item.expression.position)
            }
            let hidden = try itemBinder.bindExpression(item.expression, scope: itemScope, hook: hook)
            expressions.append(hidden)
            fields.append(Field("__order\(fields.count)", hidden.type))
            keys.append(BoundOrder(expression: .column(fields.count - 1, hidden.type), descending: item.descending, nullsFirst: item.nullsFirst ?? false))
        }
        // Pass-through columns (decorrelation): the extra group keys, then a TRUE marker.
        for (k, column) in passThrough.enumerated() {
            let type = scope.columns[column].type
            expressions.append(aggregating ? .column(groupExpressions.count + k, type) : .column(column, type))
            fields.append(Field("__pass\(k)", type))
        }
        if !passThrough.isEmpty {
            expressions.append(.literal(.boolean(true), .boolean))
            fields.append(Field("__matched", .boolean))
        }
        plan = try collector.apply(to: plan, binder: self)
        plan = .project(plan, expressions, Schema(fields))
        if select.distinct { plan = .distinct(plan) }
        if !keys.isEmpty { plan = .sort(plan, keys) }
        if fields.count > visible && passThrough.isEmpty {
            let kept = Array(fields.prefix(visible))
            plan = .project(plan, kept.enumerated().map { BoundExpression.column($0.offset, $0.element.dataType) }, Schema(kept))
        }
        return (plan, outputScope)
    }

    /// The cross product of two inputs (filters on top make it a join).
    func cross(_ left: LogicalPlan, _ leftScope: Scope, _ right: LogicalPlan, _ rightScope: Scope) -> (LogicalPlan, Scope) {
        let scope = Scope(columns: leftScope.columns + rightScope.columns)
        let schema = Schema(scope.columns.map { Field($0.name, $0.type) })
        return (.join(.inner, left, right, JoinCondition(), schema), scope)
    }

    func bindTable(_ reference: SQLTableReference) throws(SQLError) -> (LogicalPlan, Scope) {
        switch reference {
        case .join(let kind, let left, let right, let condition):
            let (l, ls) = try bindTable(left)
            let (r, rs) = try bindTable(right)
            var scope = Scope(columns: ls.columns + rs.columns)
            let lw = ls.columns.count
            var bound: BoundExpression?
            var hiddenSide: [Int] = []
            switch condition {
            case .on(let e):
                let b = try bindExpression(e, scope: scope)
                guard b.type == .boolean else { throw error(.typeMismatch, "ON needs a BOOLEAN, found \(b.type)", at: e.position) }
                bound = b
            case .using(let names):
                (bound, hiddenSide) = try usingCondition(names, ls, rs, kind: kind)
            case .natural:
                let names = ls.columns.map(\.name).filter { name in
                    !name.hasPrefix(_hiddenPrefix) && rs.columns.contains { $0.name.lowercased() == name.lowercased() }
                }
                (bound, hiddenSide) = try usingCondition(names, ls, rs, kind: kind)
            case .none:
                guard kind == .cross || kind == .inner else { throw error(.syntax, "\(kind.rawValue) JOIN needs ON or USING", at: nil) }
            }
            // The copies of USING columns from one side are hidden from unqualified names.
            for k in hiddenSide { scope.columns[k].name = _hiddenPrefix + "using_" + scope.columns[k].name }
            let type: JoinType = switch kind {
            case .inner, .cross: .inner
            case .left: .left
            case .right: .right
            case .full: .full
            case .semi: .semi
            case .anti: .anti
            }
            if type == .semi || type == .anti {
                scope = Scope(columns: Array(scope.columns.prefix(lw)))
            }
            let fields = scope.columns.map { c in
                Field(c.name, c.type)
            }
            return (.join(type, l, r, JoinCondition.split(bound, leftWidth: lw), Schema(fields)), scope)
        case .subquery(let query, let alias, _):
            let plan = try bind(query)
            var columns = plan.schema.fields.map { (Optional(alias?.name ?? ""), $0.name, $0.dataType) }
            if let renamed = alias?.columns {
                for (k, newName) in renamed.enumerated() where k < columns.count { columns[k].1 = newName }
            }
            if alias == nil { columns = columns.map { (nil, $0.1, $0.2) } }
            return (plan, Scope(columns: columns))
        case .function(let name, let arguments, let alias, let position):
            guard let function = tableFunctions[name.lowercased()] else {
                throw SQLError(.unknownName, "no table function \(name)", at: position, sql: sql,
                               validNames: _closest(name, in: Array(tableFunctions.keys)))
            }
            var values: [Scalar] = []
            let empty = try RecordBatch.single()
            for argument in arguments {
                let bound = try bindExpression(argument, scope: Scope(columns: []))
                guard bound.isConstant else { throw error(.syntax, "arguments of \(name) must be constants", at: argument.position) }
                values.append(try bound.evaluate(empty).scalar(at: 0))
            }
            let table: any SQLTableProvider
            do {
                table = try function.table(arguments: values)
            } catch {
                throw SQLError(error.code, error.message, at: position, sql: sql)
            }
            let qualifier = alias?.name ?? name
            var columns = table.schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) }
            if let renamed = alias?.columns {
                for (k, newName) in renamed.enumerated() where k < columns.count { columns[k].1 = newName }
            }
            return (.scan(name: name, table: table, request: SQLScanRequest()), Scope(columns: columns))
        case .table(let name, let alias, let position):
            return try bindNamedTable(name, alias: alias, position: position)
        case .versionedTable(let name, let version, let alias, let position):
            return try bindNamedTable(name, alias: alias, position: position, version: version)
        }
    }

    /// `USING (names)`: the equalities, and which copies to hide (the right ones, or for a RIGHT
    /// join the left ones).
    func usingCondition(_ names: [String], _ ls: Scope, _ rs: Scope, kind: SQLJoinKind) throws(SQLError) -> (BoundExpression?, [Int]) {
        var all: BoundExpression?
        var hidden: [Int] = []
        let nowhere = SourcePosition(offset: 0, line: 1, column: 1)
        for name in names {
            let (li, lt) = try ls.resolve([name], at: nowhere, sql: sql)
            let (ri, rt) = try rs.resolve([name], at: nowhere, sql: sql)
            let (a, b) = try coerce(.column(li, lt), .column(ls.columns.count + ri, rt), "USING", at: nowhere)
            let equal = BoundExpression.compare(.equal, a, b)
            all = all.map { .and($0, equal) } ?? equal
            hidden.append(kind == .right ? li : ls.columns.count + ri)
        }
        return (all, hidden)
    }

    func bindNamedTable(_ name: [String], alias: SQLAlias?, position: SourcePosition, version: SQLTableVersion? = nil) throws(SQLError) -> (LogicalPlan, Scope) {
        let key = name.joined(separator: ".").lowercased()
        if version != nil || tables[key] == nil, views[key] == nil, let catalog {
            let found: (any SQLTableProvider)?
            do {
                found = try catalog.table(key, at: version)
            } catch {
                throw SQLError(error.code, error.message, at: position, sql: sql)
            }
            if let found {
                let qualifier = alias?.name ?? name.last!
                var columns = found.schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) }
                if let renamed = alias?.columns {
                    for (k, newName) in renamed.enumerated() where k < columns.count { columns[k].1 = newName }
                }
                return (.scan(name: key, table: found, request: SQLScanRequest()), Scope(columns: columns))
            }
            if version != nil {
                throw SQLError(.unknownName, "no catalog table \(name.joined(separator: ".")) (AS OF reads catalog tables only)", at: position, sql: sql,
                               validNames: _closest(key, in: (try? catalog.tableNames()) ?? []))
            }
        } else if version != nil {
            throw SQLError(.unsupported, "AS OF reads catalog tables only; \(name.joined(separator: ".")) is a session table", at: position, sql: sql)
        }
        if let view = views[key] {
            var inner = fresh()
            inner.views = views.filter { $0.key != key }
            let plan = try inner.bind(view)
            let qualifier = alias?.name ?? name.last!
            var columns = plan.schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) }
            if let renamed = alias?.columns {
                for (k, newName) in renamed.enumerated() where k < columns.count { columns[k].1 = newName }
            }
            return (plan, Scope(columns: columns))
        }
        guard let table = tables[key] else {
            throw SQLError(.unknownName, "no table \(name.joined(separator: "."))", at: position, sql: sql,
                           validNames: _closest(key, in: Array(tables.keys) + ((try? catalog?.tableNames()) ?? [])))
        }
        let qualifier = alias?.name ?? name.last!
        // A memory table has a hidden `rowid` (computed only when a query reads it).
        var provider = table
        if let memory = table as? MemoryTable { provider = RowIDTable(base: memory) }
        var columns = provider.schema.fields.map { (Optional(qualifier), $0.name, $0.dataType) }
        if let renamed = alias?.columns {
            for (k, newName) in renamed.enumerated() where k < columns.count { columns[k].1 = newName }
        }
        return (.scan(name: key, table: provider, request: SQLScanRequest()), Scope(columns: columns))
    }

    func bindOrder(_ items: [SQLOrderItem], output: Scope, plan: LogicalPlan) throws(SQLError) -> [BoundOrder] {
        var keys: [BoundOrder] = []
        for item in _expandOrderByAll(items, count: output.columns.count) {
            let bound: BoundExpression
            if case .literal(.integer(let digits), let p) = item.expression, let k = Int(digits) {
                guard k >= 1, k <= output.columns.count else { throw error(.syntax, "ORDER BY \(k) is not a select item", at: p) }
                bound = .column(k - 1, output.columns[k - 1].type)
            } else {
                bound = try bindExpression(item.expression, scope: output)
            }
            keys.append(BoundOrder(expression: bound, descending: item.descending, nullsFirst: item.nullsFirst ?? false))
        }
        return keys
    }

    /// Maps a group expression or aggregate call to the aggregate's output column; rejects a bare
    /// input column; nil for anything else (built from its parts).
    func afterAggregate(_ e: SQLExpression, groupKeys: [String], aggregateKeys: [String], aggregateOffset: Int, inputScope: Scope, scope: Scope) throws(SQLError) -> BoundExpression? {
        if case .function(let call) = e, _aggregateNames.contains(call.name), call.over == nil {
            if let bound = try? bindAggregate(call, scope: inputScope), let k = aggregateKeys.firstIndex(of: bound.key) {
                return .column(aggregateOffset + k, scope.columns[aggregateOffset + k].type)
            }
            return nil
        }
        // A group key: the same bound expression over the input.
        if !_containsAggregate(e), !_containsSubquery(e), !_containsWindow(e) {
            var plain = fresh()
            plain.outerScope = nil
            if let bound = try? plain.bindExpression(e, scope: inputScope), let k = groupKeys.firstIndex(of: bound.description) {
                return .column(k, scope.columns[k].type)
            }
        }
        if case .column(let parts, let p) = e {
            if outerScope != nil, let (i, t) = try? outerScope!.resolve(parts, at: p, sql: sql) { return .outer(i, t) }
            throw SQLError(.syntax, "column \(parts.joined(separator: ".")) must appear in GROUP BY or be used in an aggregate", at: p, sql: sql)
        }
        return nil
    }
}

/// Names of columns a scope carries but `*` and unqualified names must not see (a control
/// character no SQL name holds).
let _hiddenPrefix = "\u{1}"

/// ORDER BY ALL (a star item) as ordinals of every output column.
func _expandOrderByAll(_ items: [SQLOrderItem], count: Int) -> [SQLOrderItem] {
    items.flatMap { item -> [SQLOrderItem] in
        guard case .star(nil, let position) = item.expression else { return [item] }
        return (0..<count).map { SQLOrderItem(expression: .literal(.integer(String($0 + 1)), position), descending: item.descending, nullsFirst: item.nullsFirst) }
    }
}

/// Whether a window function call occurs in `e`.
func _containsWindow(_ e: SQLExpression) -> Bool {
    var calls: [SQLFunctionCall] = []
    _collectWindowCalls(e, into: &calls)
    return !calls.isEmpty
}

/// The conjuncts of an AND tree, as written.
func _sqlConjuncts(_ e: SQLExpression) -> [SQLExpression] {
    if case .binary(.and, let a, let b, _) = e { return _sqlConjuncts(a) + _sqlConjuncts(b) }
    return [e]
}

/// The first `width` columns of `plan`'s output.
func _keepColumns(_ plan: LogicalPlan, _ width: Int) -> LogicalPlan {
    let fields = plan.schema.fields
    guard fields.count > width else { return plan }
    let kept = Array(fields.prefix(width))
    return .project(plan, kept.enumerated().map { .column($0.offset, $0.element.dataType) }, Schema(kept))
}

func _containsAggregate(_ e: SQLExpression) -> Bool {
    var found: [SQLFunctionCall] = []
    _collectAggregates(e, into: &found)
    return !found.isEmpty
}

/// The aggregate calls inside `e`, in order, without repeats.
func _collectAggregates(_ e: SQLExpression, into calls: inout [SQLFunctionCall]) {
    if case .function(let call) = e, _aggregateNames.contains(call.name), call.over == nil {
        if !calls.contains(call) { calls.append(call) }
        return
    }
    for child in e.children { _collectAggregates(child, into: &calls) }
}

/// Whether two expressions are the same apart from where they were written.
func _sameExpression(_ a: SQLExpression, _ b: SQLExpression) -> Bool {
    // Subqueries render as "expr": they match only themselves (the same place in the SQL).
    if _containsSubquery(a) || _containsSubquery(b) { return a == b }
    return _displayName(a).lowercased() == _displayName(b).lowercased()
}

/// Whether a subquery occurs anywhere in `e` (its display name is not faithful).
func _containsSubquery(_ e: SQLExpression) -> Bool {
    switch e {
    case .subquery, .exists, .inSubquery, .quantified: return true
    default: return e.children.contains(where: _containsSubquery)
    }
}

/// The names closest to `name` (by edit distance), for "did you mean" lists.
func _closest(_ name: String, in candidates: [String]) -> [String] {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() { current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))) }
            previous = current
        }
        return previous[b.count]
    }
    let target = Array(name.lowercased())
    return candidates.sorted { distance(Array($0.lowercased()), target) < distance(Array($1.lowercased()), target) }
}

extension RecordBatch {
    /// One row, no columns (the input of a SELECT without FROM).
    static func single() throws(SQLError) -> RecordBatch {
        do {
            return try RecordBatch(schema: Schema([]), columns: [], count: 1)
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }
}

/// `SELECT DISTINCT ON (keys) … ORDER BY o` as `SELECT … QUALIFY row_number() OVER (PARTITION BY
/// keys ORDER BY o) = 1`: the first row of each key in the query's order. Ordinals and output
/// aliases in the keys and in ORDER BY stand for the select items they name.
func _distinctOnAsQualify(_ select: SQLSelect, orderBy: [SQLOrderItem]) -> SQLSelect {
    let items: [(SQLExpression, String?)] = select.items.compactMap {
        if case .expression(let e, let alias) = $0 { return (e, alias) }
        return nil
    }
    func resolve(_ e: SQLExpression) -> SQLExpression {
        if case .literal(.integer(let digits), _) = e, let k = Int(digits), k >= 1, k <= items.count, select.items.count == items.count {
            return items[k - 1].0
        }
        if case .column(let parts, _) = e, parts.count == 1,
           let item = items.first(where: { $0.1?.lowercased() == parts[0].lowercased() }) {
            return item.0
        }
        return e
    }
    var result = select
    result.distinct = false
    result.distinctOn = []
    let position = select.distinctOn[0].position
    var window = SQLWindowSpecification()
    window.partitionBy = select.distinctOn.map(resolve)
    window.orderBy = orderBy.map { SQLOrderItem(expression: resolve($0.expression), descending: $0.descending, nullsFirst: $0.nullsFirst) }
    var rowNumber = SQLFunctionCall(name: "row_number", arguments: [], position: position)
    rowNumber.over = window
    let first = SQLExpression.binary(.equal, .function(rowNumber), .literal(.integer("1"), position), position)
    result.qualify = select.qualify.map { .binary(.and, $0, first, position) } ?? first
    return result
}
