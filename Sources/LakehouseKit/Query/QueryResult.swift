import ColumnarCore

/// The rows a query returned: an `AsyncSequence` of record batches that knows its schema, with
/// the rows decodable into `Decodable` structs by column name.
///
/// ```swift
/// struct Lead: Decodable { let name: String; let calls: Int }
/// let result = try lake.sql("SELECT name, count(*) AS calls FROM call_log GROUP BY name")
/// for try await batch in result { print(batch.count) }
/// let leads = try result.decode(Lead.self)
/// ```
public struct QueryResult: AsyncSequence, Sendable {
    public typealias Element = RecordBatch

    /// The columns of every batch.
    public let schema: Schema
    /// The batches, in order.
    public let batches: [RecordBatch]

    /// Rows per batch when a result is cut into batches.
    public static let batchRows = 8192

    public init(_ batch: RecordBatch, batchRows: Int = QueryResult.batchRows) {
        self.batch = batch
        schema = batch.schema
        var out: [RecordBatch] = []
        var start = 0
        while start < batch.count {
            let end = Swift.min(batch.count, start + Swift.max(1, batchRows))
            out.append(start == 0 && end == batch.count ? batch : batch.slice(start..<end))
            start = end
        }
        batches = out
    }

    /// The number of rows.
    public var count: Int { batches.reduce(0) { $0 + $1.count } }

    /// All rows in one batch.
    public let batch: RecordBatch

    /// Decodes every row into a `T`, matching its coding keys to column names (case-insensitive).
    /// Integers, floating point, decimals (as `Double` or `String`), booleans, text, dates and
    /// timestamps (as `String` in ISO form, or seconds since 1970 as `Double`) decode; a null
    /// decodes only into an optional.
    ///
    /// - Throws: `DecodingError` naming the row and column.
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for batch in batches {
            for row in 0..<batch.count {
                out.append(try T(from: _RowDecoder(batch: batch, row: row, codingPath: [])))
            }
        }
        return out
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let batches: [RecordBatch]
        public mutating func next() async throws -> RecordBatch? {
            guard index < batches.count else { return nil }
            defer { index += 1 }
            return batches[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(batches: batches) }
}
