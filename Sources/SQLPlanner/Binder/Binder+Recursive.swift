import ColumnarCore

extension Binder {
    /// The most rounds a recursive common table expression may take.
    static let recursionLimit = 10_000

    /// A recursive CTE (`anchor UNION [ALL] step`, the step reading the CTE's own name) run to
    /// its fixpoint: the anchor's rows, then the step over the rows of the round before, until
    /// a round adds none (with UNION, rows already seen are not added again). Nil when the CTE
    /// does not read itself (it is then an ordinary view).
    func recursiveTable(_ cte: SQLCommonTableExpression) throws(SQLError) -> MemoryTable? {
        guard case .setOperation(.union, let all, let anchor, let step) = cte.query.body, _reads(step, cte.name.lowercased()) else { return nil }
        let key = cte.name.lowercased()
        var outer = self
        outer.views[key] = nil
        outer.tables[key] = nil
        let anchorPlan = try outer.bindSetExpression(anchor)
        var first = try Executor.run(anchorPlan)
        var fields = first.schema.fields.map { Field($0.name, $0.dataType) }
        for (k, name) in cte.columns.enumerated() where k < fields.count { fields[k] = Field(name, fields[k].dataType) }
        let schema = Schema(fields)
        first = try first.withSchemaOrThrow(schema)
        if !all { first = try Executor.distinctRows(first) }
        var result = [first]
        var working = first
        var rounds = 0
        while working.count > 0 {
            rounds += 1
            guard rounds <= Binder.recursionLimit else {
                throw error(.runtime, "recursive query \(cte.name) did not finish after \(Binder.recursionLimit) rounds", at: nil)
            }
            var inner = outer
            inner.tables[key] = MemoryTable(schema: schema, batches: [working])
            var next = try Executor.run(try inner.bindSetExpression(step))
            guard next.columns.count == fields.count else {
                throw error(.syntax, "the recursive part of \(cte.name) returns \(next.columns.count) columns, the first part \(fields.count)", at: nil)
            }
            next = try next.conformed(to: schema)
            if !all { next = try Executor.newRows(next, notIn: result) }
            result.append(next)
            working = next
        }
        return MemoryTable(schema: schema, batches: result.filter { $0.count > 0 })
    }
}

/// Whether a set expression reads the table or view `name` (anywhere in its FROM clauses).
func _reads(_ body: SQLSetExpression, _ name: String) -> Bool {
    switch body {
    case .select(let select): return select.from.contains { _reads($0, name) } || (select.whereClause.map { _readsInExpression($0, name) } ?? false)
    case .values: return false
    case .query(let q): return _reads(q.body, name)
    case .setOperation(_, _, let a, let b): return _reads(a, name) || _reads(b, name)
    }
}

private func _reads(_ reference: SQLTableReference, _ name: String) -> Bool {
    switch reference {
    case .table(let parts, _, _): return parts.joined(separator: ".").lowercased() == name
    case .versionedTable(let parts, _, _, _): return parts.joined(separator: ".").lowercased() == name
    case .subquery(let q, _, _): return _reads(q.body, name)
    case .function: return false
    case .join(_, let a, let b, _): return _reads(a, name) || _reads(b, name)
    }
}

private func _readsInExpression(_ e: SQLExpression, _ name: String) -> Bool {
    switch e {
    case .subquery(let q, _), .exists(let q, _, _), .inSubquery(_, let q, _, _): return _reads(q.body, name)
    case .binary(_, let a, let b, _): return _readsInExpression(a, name) || _readsInExpression(b, name)
    case .unary(_, let a, _): return _readsInExpression(a, name)
    default: return false
    }
}

extension RecordBatch {
    /// The same columns under `schema` (same types), or a SQLError.
    func withSchemaOrThrow(_ schema: Schema) throws(SQLError) -> RecordBatch {
        do {
            return try RecordBatch(schema: schema, columns: columns, count: count)
        } catch {
            throw SQLError(.internalError, "\(error)")
        }
    }

    /// The columns cast to `schema`'s types.
    func conformed(to schema: Schema) throws(SQLError) -> RecordBatch {
        do {
            let cast = try zip(columns, schema.fields).map { c, f in c.dataType == f.dataType ? c : try Kernels.cast(c, to: f.dataType) }
            return try RecordBatch(schema: schema, columns: cast, count: count)
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "\(error)")
        }
    }
}

extension Executor {
    /// The distinct rows of a batch.
    static func distinctRows(_ batch: RecordBatch) throws(SQLError) -> RecordBatch {
        do {
            return try distinct(batch)
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "\(error)")
        }
    }

    /// The distinct rows of `batch` that none of `earlier` holds.
    static func newRows(_ batch: RecordBatch, notIn earlier: [RecordBatch]) throws(SQLError) -> RecordBatch {
        guard batch.count > 0, !batch.columns.isEmpty else { return batch }
        do {
            let before = earlier.reduce(0) { $0 + $1.count }
            let combined = try concatenate(earlier + [batch], schema: batch.schema)
            let groups = try Kernels.groupIDs(combined.columns)
            var seen = [Bool](repeating: false, count: groups.groupCount)
            for row in 0..<before { seen[Int(groups.ids[row])] = true }
            var keep: [UInt32] = []
            for row in before..<combined.count {
                let id = Int(groups.ids[row])
                if !seen[id] { seen[id] = true; keep.append(UInt32(row - before)) }
            }
            return try take(batch, SelectionVector(keep))
        } catch let error as SQLError {
            throw error
        } catch {
            throw SQLError(.runtime, "\(error)")
        }
    }
}
