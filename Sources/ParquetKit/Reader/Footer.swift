/// Reading a file's footer: the trailing `<metadata><4-byte length>PAR1`.
public enum ParquetFooter {
    /// Reads and decodes the footer of `source`, touching only the last bytes of the file.
    ///
    /// ```swift
    /// let metadata = try ParquetFooter.read(from: LocalFileByteSource(path: "data.parquet"))
    /// print(metadata.numRows, metadata.createdBy ?? "?")
    /// ```
    /// - Throws: ``ParquetError`` `.corruptFile` for a missing magic, an impossible footer length
    ///   or malformed metadata; `.unsupportedFeature` for an encrypted footer.
    public static func read(from source: any ParquetByteSource) throws(ParquetError) -> FileMetadata {
        try locate(in: source).metadata
    }

    /// The footer and the offset where it starts (the end of the column data).
    static func locate(in source: any ParquetByteSource) throws(ParquetError) -> (metadata: FileMetadata, footerOffset: Int) {
        let size = try source.size()
        let context = ParquetError.Context(filePath: source.name)
        guard size >= 12 else {
            throw ParquetError(code: .corruptFile, message: "\(size) bytes is too small to be a Parquet file", context: context)
        }
        let tail = try source.read(offset: size - 8, count: 8)
        let magic = Array(tail[4..<8])
        if magic == Array("PARE".utf8) {
            var at = context
            at.byteOffset = size - 4
            throw ParquetError(code: .unsupportedFeature, message: "encrypted file (encrypted footer, magic PARE), no key given", context: at)
        }
        guard magic == Array("PAR1".utf8) else {
            throw ParquetError(code: .corruptFile, message: "not a Parquet file: the last 4 bytes are not PAR1", context: context)
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length <= size - 12 else {
            var at = context
            at.byteOffset = size - 8
            throw ParquetError(code: .corruptFile, message: "footer length \(length) exceeds the file's \(size) bytes", context: at)
        }
        let footerOffset = size - 8 - length
        let footer = try source.read(offset: footerOffset, count: length)
        let metadata = try _withBytes(footer) { (raw) throws(ParquetError) in
            var decoder = ThriftCompactDecoder(raw, fileOffset: footerOffset, context: context)
            return try FileMetadata.decode(&decoder)
        }
        return (metadata, footerOffset)
    }

    /// Reads the page headers of a column chunk in order, without decompressing pages: for
    /// inspection and page counting. Stops at the end of the chunk as the footer sizes it.
    ///
    /// - Throws: ``ParquetError`` `.corruptFile` naming the page and offset of a bad header.
    public static func pageHeaders(of chunk: ColumnChunkMetadata, in source: any ParquetByteSource, rowGroup: Int? = nil) throws(ParquetError) -> [(offset: Int, header: PageHeader)] {
        let size = try source.size()
        var context = ParquetError.Context(filePath: source.name, rowGroup: rowGroup, columnPath: chunk.pathInSchema)
        let start = Int(clamping: chunk.startOffset)
        let end = min(size, start &+ Int(clamping: max(0, chunk.totalCompressedSize)))
        guard start >= 0, start <= end else {
            context.byteOffset = start
            throw ParquetError(code: .corruptFile, message: "column chunk starts at \(start), outside the file", context: context)
        }
        var headers: [(offset: Int, header: PageHeader)] = []
        var offset = start
        while offset < end {
            context.pageIndex = headers.count
            var window = min(256, size - offset)
            while true {
                let bytes = try source.read(offset: offset, count: window)
                do throws(ParquetError) {
                    let (header, used) = try _withBytes(bytes) { (raw) throws(ParquetError) -> (PageHeader, Int) in
                        var decoder = ThriftCompactDecoder(raw, fileOffset: offset, context: context)
                        let header = try PageHeader.decode(&decoder)
                        return (header, decoder.position)
                    }
                    headers.append((offset, header))
                    offset += used + Int(header.compressedPageSize)
                    break
                } catch {
                    // A header longer than the window (large statistics): widen and retry.
                    if window < size - offset && window < 1 << 24 {
                        window = min(size - offset, window * 4)
                        continue
                    }
                    throw error
                }
            }
        }
        return headers
    }
}

/// `Array.withUnsafeBytes` for a body with typed throws.
func _withBytes<T>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ParquetError) -> T) throws(ParquetError) -> T {
    let result: Result<T, ParquetError> = bytes.withUnsafeBytes { raw in
        do throws(ParquetError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try result.get()
}
