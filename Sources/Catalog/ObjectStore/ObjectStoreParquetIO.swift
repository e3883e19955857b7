import ParquetKit

/// A Parquet file in an object store, read through ranged gets: the reader asks for the footer
/// first (one suffix request) and then only for the column chunks it decodes. The object is never
/// downloaded whole unless every column is read.
public final class ObjectStoreByteSource: ParquetByteSource {
    public let store: any ObjectStore
    public let key: ObjectKey
    public let name: String
    private let length: Int

    /// A source over `key`; `size` is used when known (from a listing or a Delta `add`),
    /// otherwise the store is asked.
    public init(store: any ObjectStore, key: ObjectKey, size: Int? = nil) throws(CatalogError) {
        self.store = store
        self.key = key
        self.name = store.location + "/" + key.rawValue
        if let size {
            self.length = size
        } else {
            guard let info = try store.head(key) else {
                throw CatalogError(code: .notFound, message: "no such object", context: .init(store: store.location, key: key.rawValue))
            }
            self.length = info.size
        }
    }

    public func size() -> Int { length }

    public func read(offset: Int, count: Int) throws(ParquetError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= length, count <= length - offset else {
            throw ParquetError(code: .truncatedInput, message: "range \(offset)+\(count) is past the end of \(length) bytes",
                               context: .init(filePath: name, byteOffset: offset))
        }
        if count == 0 { return [] }
        let bytes: [UInt8]
        do throws(CatalogError) {
            bytes = offset + count == length && count < length
                ? try store.get(key, range: .suffix(count: count))
                : try store.get(key, range: .bytes(offset: offset, count: count))
        } catch {
            throw ParquetError(code: .invalidArgument, message: "the object store failed: \(error)", context: .init(filePath: name, byteOffset: offset), underlying: error)
        }
        guard bytes.count == count else {
            throw ParquetError(code: .truncatedInput, message: "asked for \(count) bytes, got \(bytes.count)", context: .init(filePath: name, byteOffset: offset))
        }
        return bytes
    }
}

/// A ``ParquetSink`` that streams a file into an object store: the object appears only when the
/// writer closes, and an aborted writer leaves nothing.
public final class ObjectStoreSink: ParquetSink {
    public let name: String
    private let upload: any ObjectUpload
    /// Bytes written so far.
    public private(set) var bytesWritten = 0
    private var pending: [UInt8] = []
    private static let chunk = 8 << 20

    /// Starts an upload to `key` (only if absent when `ifAbsent`).
    public init(store: any ObjectStore, key: ObjectKey, ifAbsent: Bool = true) throws(CatalogError) {
        self.name = store.location + "/" + key.rawValue
        self.upload = try store.upload(key, ifAbsent: ifAbsent)
    }

    private func wrap(_ error: CatalogError) -> ParquetError {
        ParquetError(code: .invalidArgument, message: "the object store failed: \(error)", context: .init(filePath: name), underlying: error)
    }

    public func write(_ bytes: [UInt8]) throws(ParquetError) {
        pending += bytes
        bytesWritten += bytes.count
        if pending.count >= Self.chunk {
            do throws(CatalogError) { try upload.write(pending) } catch { throw wrap(error) }
            pending.removeAll(keepingCapacity: true)
        }
    }

    public func finish() throws(ParquetError) {
        do throws(CatalogError) {
            if !pending.isEmpty { try upload.write(pending) }
            pending = []
            try upload.finish()
        } catch { throw wrap(error) }
    }

    public func abort() {
        pending = []
        upload.abort()
    }
}
