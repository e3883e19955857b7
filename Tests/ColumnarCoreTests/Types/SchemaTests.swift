import ColumnarCore
import Testing

@Suite struct SchemaTests {
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .utf8), Field("name", .int8)])

    @Test("finds the first field with an exact, case-sensitive name")
    func lookup() {
        #expect(schema.count == 3)
        #expect(schema.firstIndex(of: "name") == 1)
        #expect(schema.field(named: "name")?.dataType == .utf8)
        #expect(schema.firstIndex(of: "Name") == nil)
        #expect(schema.field(named: "missing") == nil)
    }

    @Test("fields are nullable by default and carry metadata")
    func fieldDefaults() {
        let field = Field("x", .int32, metadata: ["field_id": "7"])
        #expect(field.isNullable)
        #expect(field.metadata["field_id"] == "7")
        #expect(Field("x", .int32) != Field("x", .int32, nullable: false))
    }

    @Test("describes one field per line with NOT NULL")
    func description() {
        #expect(schema.description == "id BIGINT NOT NULL\nname VARCHAR\nname TINYINT")
    }
}
