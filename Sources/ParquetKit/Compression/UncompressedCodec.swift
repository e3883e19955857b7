/// `UNCOMPRESSED`: pages are stored as they are, so "decompression" is a size check and a copy.
enum UncompressedCodec {
    static func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        guard source.count == uncompressedSize else {
            throw sizeMismatch(declared: uncompressedSize, actual: "\(source.count)")
        }
    }

    /// Copies `source` into `destination`; the sizes were checked by ``checkDeclaredSize(of:uncompressedSize:)``.
    static func decompress(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) {
        precondition(source.count == destination.count, "UncompressedCodec: unchecked sizes")
        destination.copyMemory(from: source)
    }
}
