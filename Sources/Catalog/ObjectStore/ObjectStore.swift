/// A key of an object in an ``ObjectStore``: a relative, `/`-separated path that cannot leave
/// the store's root.
///
/// Keys are checked once, when made: no empty key, no leading `/` (absolute paths), no `.` or
/// `..` component, no empty component (`a//b`), no NUL byte or backslash, at most 1024 UTF-8
/// bytes. Stores join keys to their root without further checks (the local store also refuses
/// symlinks that lead out of its root).
///
/// ```swift
/// let key = try ObjectKey("sales/_delta_log/00000000000000000000.json")
/// _ = try ObjectKey("../secret")   // throws CatalogError.invalidKey
/// ```
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The key text.
    public let rawValue: String

    /// Checks and wraps a key.
    ///
    /// - Throws: ``CatalogError`` `.invalidKey` naming the rule the key breaks.
    public init(_ rawValue: String) throws(CatalogError) {
        func refuse(_ why: String) -> CatalogError {
            CatalogError(.invalidKey, "\(why); keys are relative paths inside the store", key: _printable(rawValue))
        }
        if rawValue.isEmpty { throw refuse("an object key may not be empty") }
        if rawValue.utf8.count > 1024 { throw refuse("an object key may have at most 1024 bytes") }
        if rawValue.utf8.contains(0) { throw refuse("an object key may not contain a NUL byte") }
        if rawValue.contains("\\") { throw refuse("an object key may not contain a backslash") }
        if rawValue.hasPrefix("/") || rawValue.hasPrefix("~") { throw refuse("an object key may not be an absolute path") }
        for component in rawValue.split(separator: "/", omittingEmptySubsequences: false) {
            if component == ".." { throw refuse("an object key may not contain '..'") }
            if component == "." { throw refuse("an object key may not contain '.' components") }
            if component.isEmpty && !rawValue.hasSuffix("/") { throw refuse("an object key may not contain empty components ('//')") }
        }
        if rawValue.hasSuffix("/") { throw refuse("an object key may not end with '/'") }
        if rawValue.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw refuse("an object key may not contain control characters") }
        self.rawValue = rawValue
    }

    /// `prefix/component`, checked.
    public func appending(_ path: String) throws(CatalogError) -> ObjectKey {
        try ObjectKey(rawValue + "/" + path)
    }

    /// The last component.
    public var name: Substring { rawValue.split(separator: "/").last ?? Substring(rawValue) }

    public var description: String { rawValue }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool { lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8) }
}

/// Text safe to show in a message: control characters (NUL included) escaped.
func _printable(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
    }
    return out
}

/// The bytes of an object to read: a range from an offset, or the last bytes (a suffix, as a
/// Parquet reader asks for the footer).
public enum ObjectRange: Hashable, Sendable {
    /// `count` bytes from `offset` (fewer when the object ends first).
    case bytes(offset: Int, count: Int)
    /// The last `count` bytes (all of them when the object is shorter).
    case suffix(count: Int)
}

/// What a store knows about an object without reading it.
public struct ObjectMetadata: Hashable, Sendable {
    /// The key.
    public var key: ObjectKey
    /// The size in bytes.
    public var size: Int
    /// The last modification time, in milliseconds since 1970.
    public var lastModifiedMilliseconds: Int64
    /// The store's version tag for the content (an S3 ETag), when it has one.
    public var etag: String?

    public init(key: ObjectKey, size: Int, lastModifiedMilliseconds: Int64, etag: String? = nil) {
        self.key = key
        self.size = size
        self.lastModifiedMilliseconds = lastModifiedMilliseconds
        self.etag = etag
    }
}

/// One page of a listing: objects in ascending key order (byte order of the UTF-8 keys).
public struct ObjectListPage: Sendable {
    /// The objects of this page.
    public var objects: [ObjectMetadata]
    /// Whether more objects follow; pass the last key as `startAfter` to get them.
    public var isTruncated: Bool

    public init(objects: [ObjectMetadata], isTruncated: Bool) {
        self.objects = objects
        self.isTruncated = isTruncated
    }
}

/// A streaming upload: bytes are written in pieces and the object appears, whole, only when
/// ``finish()`` returns. ``abort()`` (or an error) leaves nothing behind.
public protocol ObjectUpload: AnyObject {
    /// Appends bytes to the object.
    func write(_ bytes: [UInt8]) throws(CatalogError)
    /// Makes the object visible. With `ifAbsent`, fails with `.alreadyExists` when the key exists.
    func finish() throws(CatalogError)
    /// Drops what was written.
    func abort()
}

/// Object storage: the only source of truth of a lakehouse. Keys are relative (``ObjectKey``);
/// writes are atomic (an object is either absent or whole); ``putIfAbsent(_:_:)`` is the commit
/// primitive of Delta logs and the dataset registry.
///
/// Calls block the calling thread until the store answers (the local store does file I/O, the S3
/// store HTTP requests with timeouts and retries). Implementations: ``LocalFileSystemStore``,
/// ``MemoryStore``, ``S3Store``.
public protocol ObjectStore: Sendable {
    /// Where the store keeps its objects, for messages (`/data/lake`, `s3://bucket/prefix`).
    var location: String { get }
    /// The whole object.
    func get(_ key: ObjectKey) throws(CatalogError) -> [UInt8]
    /// Part of an object: a byte range or a suffix. A range past the end is cut short.
    func get(_ key: ObjectKey, range: ObjectRange) throws(CatalogError) -> [UInt8]
    /// The object's size and time, or `nil` when it does not exist.
    func head(_ key: ObjectKey) throws(CatalogError) -> ObjectMetadata?
    /// Writes an object atomically, replacing any object at the key.
    func put(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError)
    /// Writes an object only if none exists at the key; returns `false` (and changes nothing)
    /// when one does.
    func putIfAbsent(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) -> Bool
    /// Up to `limit` objects whose keys start with `prefix` and sort after `startAfter`.
    func list(prefix: String, startAfter: String?, limit: Int) throws(CatalogError) -> ObjectListPage
    /// Deletes an object; deleting a missing object is not an error.
    func delete(_ key: ObjectKey) throws(CatalogError)
    /// Starts a streaming upload of a large object (multipart on S3).
    func upload(_ key: ObjectKey, ifAbsent: Bool) throws(CatalogError) -> any ObjectUpload
}

extension ObjectStore {
    /// Every object under `prefix`, following pages.
    public func listAll(prefix: String, startAfter: String? = nil) throws(CatalogError) -> [ObjectMetadata] {
        var result: [ObjectMetadata] = []
        var after = startAfter
        while true {
            let page = try list(prefix: prefix, startAfter: after, limit: 1000)
            result += page.objects
            guard page.isTruncated, let last = page.objects.last else { return result }
            after = last.key.rawValue
        }
    }

    /// Whether an object exists.
    public func exists(_ key: ObjectKey) throws(CatalogError) -> Bool { try head(key) != nil }
}

/// An upload that keeps the bytes in memory and hands them to a closure when finished: enough for
/// stores whose single put is atomic and cheap (memory), and the fallback for small objects.
final class BufferedObjectUpload: ObjectUpload {
    private var buffer: [UInt8] = []
    private var done = false
    private let commit: ([UInt8]) throws(CatalogError) -> Void

    init(commit: @escaping ([UInt8]) throws(CatalogError) -> Void) { self.commit = commit }

    func write(_ bytes: [UInt8]) throws(CatalogError) {
        guard !done else { throw CatalogError(.invalidArgument, "write after the upload finished") }
        buffer += bytes
    }

    func finish() throws(CatalogError) {
        guard !done else { throw CatalogError(.invalidArgument, "the upload finished already") }
        done = true
        let bytes = buffer
        buffer = []
        try commit(bytes)
    }

    func abort() {
        done = true
        buffer = []
    }
}
