import Testing
@testable import Catalog

@Suite struct ObjectKeyTests {
    @Test("refuses keys that could leave the root", arguments: ["", "../x", "a/../b", "/etc/passwd", "a//b", "./a", "a/./b", "a\u{0}b", "a\\b", "~/x", "a/"])
    func refuses(_ raw: String) {
        #expect(throws: CatalogError.self) { try ObjectKey(raw) }
        do { _ = try ObjectKey(raw) } catch { #expect(error.code == .invalidKey) }
    }

    @Test("accepts ordinary relative keys", arguments: ["a", "sales/_delta_log/00000000000000000000.json", "x/y z/ü.parquet", "a..b/c"])
    func accepts(_ raw: String) throws {
        #expect(try ObjectKey(raw).rawValue == raw)
    }
}
