/// The syntax tree the parser produces: statements, queries, table references and
/// expressions, each expression and table reference with the position it starts at.

/// A statement of a script.
public indirect enum SQLStatement: Hashable, Sendable {
    case query(SQLQuery)
    case createTable(name: [String], columns: [SQLColumnDefinition], ifNotExists: Bool, orReplace: Bool, asQuery: SQLQuery?)
    case createView(name: [String], columns: [String], query: SQLQuery, orReplace: Bool)
    case insert(table: [String], columns: [String], source: SQLQuery)
    case update(table: [String], alias: String?, assignments: [SQLAssignment], whereClause: SQLExpression?)
    case delete(table: [String], alias: String?, whereClause: SQLExpression?)
    /// `MERGE INTO table USING source ON condition WHEN [NOT] MATCHED … THEN …`.
    case merge(SQLMerge)
    /// `CREATE SCHEMA` or `DROP SCHEMA`: accepted (tables are keyed by their qualified names).
    case schema(name: [String], drop: Bool)
    /// `ALTER TABLE name …`.
    case alterTable(name: [String], SQLAlterAction)
    case drop(kind: SQLObjectKind, name: [String], ifExists: Bool)
    /// `CREATE [UNIQUE] INDEX name ON table (columns)`: accepted; in-memory tables need no index.
    case createIndex(name: String, table: [String], columns: [String], unique: Bool)
    case explain(SQLStatement, analyze: Bool)
    /// `PREPARE name AS statement`.
    case prepare(name: String, SQLStatement)
    /// `EXECUTE name(values…)`.
    case execute(name: String, arguments: [SQLExpression])
    /// `DEALLOCATE [PREPARE] name`.
    case deallocate(name: String)
}

/// What an `ALTER TABLE` changes.
public enum SQLAlterAction: Hashable, Sendable {
    /// `ADD [COLUMN] [IF NOT EXISTS] name type [DEFAULT value]`.
    case addColumn(SQLColumnDefinition, defaultValue: SQLExpression?, ifNotExists: Bool)
    /// `DROP [COLUMN] [IF EXISTS] name`.
    case dropColumn(String, ifExists: Bool)
    /// `RENAME [COLUMN] old TO new`.
    case renameColumn(String, to: String)
    /// `RENAME TO new`.
    case renameTable(to: String)
    /// `ALTER [COLUMN] name SET DEFAULT value | DROP DEFAULT` (no stored defaults: accepted).
    case columnDefault(String)
}

public enum SQLObjectKind: String, Hashable, Sendable {
    case table = "TABLE"
    case view = "VIEW"
    case index = "INDEX"
}

public struct SQLColumnDefinition: Hashable, Sendable {
    public var name: String
    public var type: SQLTypeName
    public var notNull: Bool
    public var primaryKey: Bool
    /// CHECK constraints: the column's own, and (on the first column) the table's.
    public var checks: [SQLExpression] = []
}

/// A `MERGE INTO` statement: each row of the target that the condition matches with a source
/// row is updated or deleted by the first `WHEN MATCHED` clause whose condition holds; each
/// source row that matches no target row is inserted by the first `WHEN NOT MATCHED` clause
/// whose condition holds; each target row no source row matches goes to the first `WHEN NOT
/// MATCHED BY SOURCE` clause whose condition holds.
public struct SQLMerge: Hashable, Sendable {
    public var table: [String]
    public var alias: String?
    public var source: SQLTableReference
    public var condition: SQLExpression
    public var clauses: [SQLMergeClause]
    /// Where the statement starts.
    public var position: SourcePosition
}

public struct SQLMergeClause: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        /// `WHEN MATCHED`: a target row and its source row.
        case matched
        /// `WHEN NOT MATCHED [BY TARGET]`: a source row no target row matches.
        case notMatchedByTarget
        /// `WHEN NOT MATCHED BY SOURCE`: a target row no source row matches.
        case notMatchedBySource
    }
    public var target: Target
    /// The `AND condition` of the clause.
    public var condition: SQLExpression?
    public var action: SQLMergeAction
    public var position: SourcePosition
}

public enum SQLMergeAction: Hashable, Sendable {
    /// `UPDATE SET column = value, …`.
    case update([SQLAssignment])
    /// `UPDATE SET *`: every column from the source column of the same name.
    case updateAll
    case delete
    /// `INSERT [(columns)] VALUES (values)`; no columns: all of the target's, in order.
    case insert(columns: [String], values: [SQLExpression])
    /// `INSERT *`: every column from the source column of the same name.
    case insertAll
    /// `DO NOTHING`.
    case nothing
}

public struct SQLAssignment: Hashable, Sendable {
    public var column: String
    public var value: SQLExpression
}

/// A type as written: a name and its parameters (`DECIMAL(12, 2)`, `VARCHAR(20)`, `INTEGER[]`).
public struct SQLTypeName: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var parameters: [Int]
    public var isArray: Bool

    public init(name: String, parameters: [Int] = [], isArray: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.isArray = isArray
    }

    public var description: String {
        name + (parameters.isEmpty ? "" : "(" + parameters.map(String.init).joined(separator: ", ") + ")") + (isArray ? "[]" : "")
    }
}

/// `WITH … body ORDER BY … LIMIT … OFFSET …`.
public struct SQLQuery: Hashable, Sendable {
    public var with: [SQLCommonTableExpression] = []
    public var recursive = false
    public var body: SQLSetExpression
    public var orderBy: [SQLOrderItem] = []
    public var limit: SQLExpression?
    public var offset: SQLExpression?

    public init(body: SQLSetExpression) { self.body = body }
}

public struct SQLCommonTableExpression: Hashable, Sendable {
    public var name: String
    public var columns: [String]
    public var query: SQLQuery
}

public struct SQLOrderItem: Hashable, Sendable {
    public var expression: SQLExpression
    public var descending: Bool
    /// `NULLS FIRST` (true), `NULLS LAST` (false) or the default (nil).
    public var nullsFirst: Bool?
}

/// A SELECT, VALUES list, parenthesised query, or a set operation of two of them.
public indirect enum SQLSetExpression: Hashable, Sendable {
    case select(SQLSelect)
    case values([[SQLExpression]])
    case query(SQLQuery)
    case setOperation(SQLSetOperator, all: Bool, SQLSetExpression, SQLSetExpression)
}

public enum SQLSetOperator: String, Hashable, Sendable {
    case union = "UNION"
    case intersect = "INTERSECT"
    case except = "EXCEPT"
}

public struct SQLSelect: Hashable, Sendable {
    public var distinct = false
    /// `DISTINCT ON (…)`: the first row (in ORDER BY order) of each distinct key.
    public var distinctOn: [SQLExpression] = []
    public var items: [SQLSelectItem] = []
    public var from: [SQLTableReference] = []
    public var whereClause: SQLExpression?
    public var groupBy: [SQLExpression] = []
    public var having: SQLExpression?
    public var qualify: SQLExpression?
    public var windows: [String: SQLWindowSpecification] = [:]

    public init() {}
}

public enum SQLSelectItem: Hashable, Sendable {
    /// `*` or `t.*`, with `EXCLUDE (...)` names.
    case wildcard(qualifier: String?, exclude: [String])
    case expression(SQLExpression, alias: String?)
}

/// A source of rows in FROM.
public indirect enum SQLTableReference: Hashable, Sendable {
    case table(name: [String], alias: SQLAlias?, position: SourcePosition)
    /// `name AS OF VERSION n` / `name AS OF TIMESTAMP 'text'`: a catalog table at a past version.
    case versionedTable(name: [String], version: SQLTableVersion, alias: SQLAlias?, position: SourcePosition)
    case subquery(SQLQuery, alias: SQLAlias?, lateral: Bool)
    case function(name: String, arguments: [SQLExpression], alias: SQLAlias?, position: SourcePosition)
    case join(SQLJoinKind, SQLTableReference, SQLTableReference, SQLJoinCondition)
}

public struct SQLAlias: Hashable, Sendable {
    public var name: String
    public var columns: [String]
}

public enum SQLJoinKind: String, Hashable, Sendable {
    case inner = "INNER"
    case left = "LEFT"
    case right = "RIGHT"
    case full = "FULL"
    case cross = "CROSS"
    case semi = "SEMI"
    case anti = "ANTI"
}

public enum SQLJoinCondition: Hashable, Sendable {
    case on(SQLExpression)
    case using([String])
    case natural
    case none
}

/// A window: `PARTITION BY … ORDER BY … ROWS|RANGE BETWEEN …`, or a reference to a named one.
public struct SQLWindowSpecification: Hashable, Sendable {
    public var base: String?
    public var partitionBy: [SQLExpression] = []
    public var orderBy: [SQLOrderItem] = []
    public var frame: SQLWindowFrame?

    public init() {}
}

public struct SQLWindowFrame: Hashable, Sendable {
    public enum Unit: String, Hashable, Sendable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }
    public enum Bound: Hashable, Sendable {
        case unboundedPreceding
        case preceding(SQLExpression)
        case currentRow
        case following(SQLExpression)
        case unboundedFollowing
    }
    public var unit: Unit
    public var start: Bound
    public var end: Bound
}

/// A literal value as written.
public enum SQLLiteral: Hashable, Sendable {
    case null
    case boolean(Bool)
    /// Digits of an integer literal (its type is decided by the binder).
    case integer(String)
    /// A number with a point or exponent, as written.
    case decimal(String)
    case string(String)
    /// `DATE '…'`, `TIMESTAMP '…'`, `TIME '…'`, `INTERVAL '…' unit` and other typed strings.
    case typed(SQLTypeName, String)
    case interval(String, unit: String?)
    /// A prepared statement's parameter: `?` (numbered in order) or `$n`, from 1.
    case parameter(Int)
}

public enum SQLUnaryOperator: String, Hashable, Sendable {
    case negate = "-"
    case plus = "+"
    case not = "NOT"
}

public enum SQLBinaryOperator: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", integerDivide = "//"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"
}

/// An expression, with the position of its first token.
public indirect enum SQLExpression: Hashable, Sendable {
    case literal(SQLLiteral, SourcePosition)
    /// A possibly qualified name: `c`, `t.c`, `s.t.c`.
    case column([String], SourcePosition)
    /// `count(*)`'s star and `t.*` inside expressions.
    case star(qualifier: String?, SourcePosition)
    case unary(SQLUnaryOperator, SQLExpression, SourcePosition)
    case binary(SQLBinaryOperator, SQLExpression, SQLExpression, SourcePosition)
    case function(SQLFunctionCall)
    case cast(SQLExpression, SQLTypeName, tryCast: Bool, SourcePosition)
    case isNull(SQLExpression, negated: Bool, SourcePosition)
    case isBoolean(SQLExpression, value: Bool, negated: Bool, SourcePosition)
    case isDistinctFrom(SQLExpression, SQLExpression, negated: Bool, SourcePosition)
    case between(SQLExpression, low: SQLExpression, high: SQLExpression, negated: Bool, SourcePosition)
    case inList(SQLExpression, [SQLExpression], negated: Bool, SourcePosition)
    case inSubquery(SQLExpression, SQLQuery, negated: Bool, SourcePosition)
    case exists(SQLQuery, negated: Bool, SourcePosition)
    case subquery(SQLQuery, SourcePosition)
    case like(SQLExpression, pattern: SQLExpression, escape: SQLExpression?, caseInsensitive: Bool, negated: Bool, SourcePosition)
    case caseWhen(operand: SQLExpression?, branches: [SQLWhen], otherwise: SQLExpression?, SourcePosition)
    /// `ANY`/`ALL` comparisons with a subquery: `x = ANY (SELECT …)`.
    case quantified(SQLBinaryOperator, SQLExpression, all: Bool, SQLQuery, SourcePosition)
    /// `[a, b, c]` list literals.
    case list([SQLExpression], SourcePosition)
    /// `expr[index]`.
    case subscriptIndex(SQLExpression, SQLExpression, SourcePosition)

    /// Where the expression starts in the SQL.
    public var position: SourcePosition {
        switch self {
        case .literal(_, let p), .column(_, let p), .star(_, let p), .unary(_, _, let p), .binary(_, _, _, let p),
             .cast(_, _, _, let p), .isNull(_, _, let p), .isBoolean(_, _, _, let p), .isDistinctFrom(_, _, _, let p),
             .between(_, _, _, _, let p), .inList(_, _, _, let p), .inSubquery(_, _, _, let p), .exists(_, _, let p),
             .subquery(_, let p), .like(_, _, _, _, _, let p), .caseWhen(_, _, _, let p), .quantified(_, _, _, _, let p),
             .list(_, let p), .subscriptIndex(_, _, let p):
            return p
        case .function(let call): return call.position
        }
    }
}

public struct SQLWhen: Hashable, Sendable {
    public var condition: SQLExpression
    public var result: SQLExpression
}

/// `name(args)` with its modifiers: `DISTINCT`, `ORDER BY` inside (string_agg), `FILTER (WHERE …)`
/// and `OVER (…)`.
public struct SQLFunctionCall: Hashable, Sendable {
    public var name: String
    public var arguments: [SQLExpression]
    public var distinct = false
    public var orderBy: [SQLOrderItem] = []
    public var filter: SQLExpression?
    public var over: SQLWindowSpecification?
    public var position: SourcePosition

    public init(name: String, arguments: [SQLExpression], position: SourcePosition) {
        self.name = name
        self.arguments = arguments
        self.position = position
    }
}

extension SQLExpression {
    /// The direct sub-expressions, in order (a subquery's own expressions are not among them;
    /// a function call's include its FILTER, ORDER BY and OVER expressions).
    public var children: [SQLExpression] {
        switch self {
        case .literal, .column, .star, .exists, .subquery: return []
        case .unary(_, let a, _), .cast(let a, _, _, _), .isNull(let a, _, _), .isBoolean(let a, _, _, _),
             .inSubquery(let a, _, _, _), .quantified(_, let a, _, _, _):
            return [a]
        case .binary(_, let a, let b, _), .isDistinctFrom(let a, let b, _, _), .subscriptIndex(let a, let b, _): return [a, b]
        case .between(let a, let b, let c, _, _): return [a, b, c]
        case .inList(let a, let items, _, _): return [a] + items
        case .like(let a, let p, let escape, _, _, _): return [a, p] + (escape.map { [$0] } ?? [])
        case .caseWhen(let operand, let branches, let otherwise, _):
            return (operand.map { [$0] } ?? []) + branches.flatMap { [$0.condition, $0.result] } + (otherwise.map { [$0] } ?? [])
        case .list(let items, _): return items
        case .function(let call):
            var all = call.arguments + call.orderBy.map(\.expression)
            if let filter = call.filter { all.append(filter) }
            if let over = call.over { all += over.partitionBy + over.orderBy.map(\.expression) }
            return all
        }
    }
}
