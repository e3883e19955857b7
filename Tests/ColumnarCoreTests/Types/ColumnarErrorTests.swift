import ColumnarCore
import Testing

@Suite struct ColumnarErrorTests {
    @Test("codes describe themselves and compare by identity")
    func codes() {
        #expect(ColumnarError.Code.overflow.description == "overflow")
        #expect(ColumnarError.Code.divisionByZero.description == "division by zero")
        #expect(ColumnarError.Code.internalError.description.contains("please report"))
        #expect(ColumnarError.Code.overflow != .invalidCast)
    }

    @Test("the description names the code, the message and the row")
    func description() {
        #expect(ColumnarError(.invalidCast, "bad", row: 3).description == "invalid cast: bad (row 3)")
        #expect(ColumnarError(.unsupported, "nope").description == "unsupported: nope")
    }

    @Test("equality ignores where the error was thrown")
    func equality() {
        let a = ColumnarError(.overflow, "x", row: 1, fileID: "A.swift", line: 1)
        let b = ColumnarError(.overflow, "x", row: 1, fileID: "B.swift", line: 2)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != ColumnarError(.overflow, "x", row: 2))
    }

    @Test("records the throwing file and line")
    func location() {
        let error = ColumnarError(.internalError, "here")
        #expect(error.fileID.hasSuffix("ColumnarErrorTests.swift"))
        #expect(error.line > 0)
    }
}
