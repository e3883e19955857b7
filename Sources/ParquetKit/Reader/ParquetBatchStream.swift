import ColumnarCore

/// A pull-driven stream of record batches of at most `batchSize` rows from a Parquet file: one
/// row group is decoded at a time (its columns in parallel), so memory stays bounded by one row
/// group of the projected columns. Cancellation is checked between batches.
///
/// ```swift
/// let stream = try reader.batches(columns: ["id", "name"], batchSize: 8192)
/// for try await batch in stream { consume(batch) }
/// ```
public struct ParquetBatchStream: AsyncSequence, Sendable {
    public typealias Element = RecordBatch

    /// The schema every batch has.
    public let schema: Schema
    let reader: ParquetFileReader
    let columns: [String]?
    let rowGroups: [Int]
    let batchSize: Int
    /// When set, row groups are pruned by statistics and pages by the page index.
    let predicate: ParquetPredicate?

    /// Iterates the batches.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ParquetBatchStream
        var nextGroup = 0
        var current: RecordBatch?
        var offset = 0

        /// The next batch, or nil at the end.
        ///
        /// - Throws: ``ParquetError`` from decoding, or `CancellationError`.
        public mutating func next() async throws -> RecordBatch? {
            try Task.checkCancellation()
            while true {
                if let batch = current, offset < batch.count {
                    let end = Swift.min(batch.count, offset + stream.batchSize)
                    defer { offset = end }
                    return offset == 0 && end == batch.count ? batch : batch.slice(offset..<end)
                }
                guard nextGroup < stream.rowGroups.count else {
                    current = nil
                    return nil
                }
                if let predicate = stream.predicate {
                    current = try stream.reader.readRowGroup(stream.rowGroups[nextGroup], columns: stream.columns, pruningPagesBy: predicate)
                } else {
                    current = try stream.reader.readRowGroup(stream.rowGroups[nextGroup], columns: stream.columns)
                }
                nextGroup += 1
                offset = 0
            }
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }
}

extension ParquetFileReader {
    /// The file's rows as a stream of batches of at most `batchSize` rows.
    ///
    /// - Parameters:
    ///   - columns: Top-level columns or dotted paths into nested ones to read (all by default);
    ///     see ``readRowGroups(_:columns:parallel:)``.
    ///   - rowGroups: The row groups to read, e.g. from ``rowGroups(matching:)`` (all by default).
    ///   - batchSize: The most rows per batch; at least 1.
    ///   - predicate: Skip row groups and pages whose statistics rule it out. The batches are
    ///     a superset of the matching rows: the caller still applies the filter.
    /// - Throws: ``ParquetError`` `.invalidArgument` for an unknown column or row group.
    public func batches(
        columns: [String]? = nil, rowGroups: [Int]? = nil, batchSize: Int = 65_536, pruningBy predicate: ParquetPredicate? = nil
    ) throws(ParquetError) -> ParquetBatchStream {
        guard batchSize > 0 else { throw ParquetError(code: .invalidArgument, message: "batch size must be positive, got \(batchSize)") }
        var groups = rowGroups ?? Array(metadata.rowGroups.indices)
        if let predicate {
            let kept = Set(try self.rowGroups(matching: predicate))
            groups = groups.filter(kept.contains)
        }
        for index in groups where !metadata.rowGroups.indices.contains(index) {
            throw ParquetError(code: .invalidArgument, message: "row group \(index) of \(metadata.rowGroups.count)", context: .init(filePath: source.name))
        }
        let fields = try projection(columns).map(\.field)
        return ParquetBatchStream(schema: Schema(fields, metadata: schemaMetadata), reader: self, columns: columns, rowGroups: groups,
                                  batchSize: batchSize, predicate: predicate)
    }
}
