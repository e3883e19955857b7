import ColumnarCore
import Testing

@Suite struct RecordBatchTests {
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8), Field("score", .float64)])

    func people() throws -> RecordBatch {
        try RecordBatch(schema: schema, columns: [
            .i64([1, 2, 3, 4, 5]),
            .text(["ada", nil, "grace", "edsger", "barbara"]),
            .f64([1.5, 2.5, nil, 4.5, 5.5]),
        ])
    }

    @Test("a valid batch knows its rows and finds columns by name")
    func valid() throws {
        let batch = try people()
        #expect(batch.count == 5)
        #expect(batch.column(named: "name")?.strings == ["ada", nil, "grace", "edsger", "barbara"])
        #expect(batch.column(named: "Name") == nil)
    }

    @Test("rejects a column count that differs from the schema")
    func columnCount() {
        expectColumnarError(.invalidArgument) { try RecordBatch(schema: schema, columns: [.i64([1])]) }
    }

    @Test("rejects columns of different lengths, naming the column")
    func lengthMismatch() {
        let error = expectColumnarError(.lengthMismatch) {
            try RecordBatch(schema: schema, columns: [.i64([1, 2]), .text(["a", "b"]), .f64([1])])
        }
        #expect(error?.message.contains("score") == true)
    }

    @Test("rejects a column whose type differs from its field")
    func typeMismatch() {
        let error = expectColumnarError(.typeMismatch) {
            try RecordBatch(schema: schema, columns: [.i32([1]), .text(["a"]), .f64([1])])
        }
        #expect(error?.message.contains("id") == true)
        expectColumnarError(.typeMismatch) {
            let zoned = Schema([Field("t", .timestamp(.microsecond, timeZone: "UTC"))])
            return try RecordBatch(schema: zoned, columns: [.micros([1])])
        }
    }

    @Test("rejects nulls in a NOT NULL column, but not in nullable ones")
    func notNull() throws {
        expectColumnarError(.invalidArgument) {
            try RecordBatch(schema: schema, columns: [.i64([1, nil]), .text(["a", "b"]), .f64([1, 2])])
        }
        let sliced = Column.i64([nil, 7]).slice(1..<2)
        #expect(try RecordBatch(schema: schema, columns: [sliced, .text([nil]), .f64([nil])]).count == 1)
    }

    @Test("a batch without columns takes its row count from the caller")
    func noColumns() throws {
        #expect(try RecordBatch(schema: Schema([]), columns: [], count: 7).count == 7)
        #expect(try RecordBatch(schema: Schema([]), columns: []).count == 0)
    }

    @Test("an empty batch has zero rows of every field type")
    func empty() throws {
        let wide = Schema([
            Field("b", .boolean), Field("d", .decimal128(precision: 10, scale: 2)), Field("t", .utf8),
            Field("ts", .timestamp(.nanosecond, timeZone: "UTC")), Field("l", .list(Field("item", .int32))),
            Field("s", .struct([Field("x", .int8)])), Field("v", .fixedSizeList(Field("item", .float32, nullable: false), size: 4)),
        ])
        let batch = try RecordBatch.empty(wide)
        #expect(batch.count == 0)
        #expect(batch.columns.map(\.dataType) == wide.fields.map(\.dataType))
    }

    @Test("an empty batch of an embedding whose element field is nullable")
    func emptyEmbedding() throws {
        // `Field` is nullable by default, so this is how most callers spell an embedding column.
        let embedding = Schema([Field("v", .fixedSizeList(Field("item", .float32), size: 4))])
        let batch = try RecordBatch.empty(embedding)
        #expect(batch.columns.first?.dataType == embedding.fields[0].dataType)
    }

    @Test("slices share columns, and slices of slices compose")
    func slices() throws {
        let batch = try people()
        let middle = batch.slice(1..<5).slice(1..<3)
        #expect(middle.count == 2)
        #expect(middle.column(named: "id")?.scalars == [.int64(3), .int64(4)])
        #expect(middle.column(named: "score")?.scalars == [.null, .float64(4.5)])
        #expect(batch.slice(5..<5).count == 0)
    }

    @Test("projects columns by position, in the order asked")
    func projectIndices() throws {
        let projected = try people().project([2, 0])
        #expect(projected.schema.fields.map(\.name) == ["score", "id"])
        #expect(projected.columns[1].scalars.first == .int64(1))
        expectColumnarError(.indexOutOfBounds) { try people().project([0, 3]) }
        expectColumnarError(.indexOutOfBounds) { try people().project([-1]) }
    }

    @Test("projects by name; an unknown name lists the valid ones")
    func projectNames() throws {
        let projected = try people().project(names: ["name", "name"])
        #expect(projected.schema.fields.map(\.name) == ["name", "name"])
        let error = expectColumnarError(.invalidArgument) { try people().project(names: ["id", "nmae"]) }
        #expect(error?.message.contains("nmae") == true)
        #expect(error?.message.contains("id, name, score") == true)
    }

    @Test("schema metadata survives projection")
    func metadata() throws {
        let tagged = Schema([Field("a", .int8)], metadata: ["origin": "test"])
        let batch = try RecordBatch(schema: tagged, columns: [.i8([1])])
        #expect(try batch.project([0]).schema.metadata == ["origin": "test"])
    }
}
