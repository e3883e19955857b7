#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``ObjectStore`` in a local directory: the embedded default.
///
/// - Writes are atomic: bytes go to a temporary file in the target directory, are `fsync`ed, then
///   renamed over the key (``put(_:_:)``) or hard-linked to it (``putIfAbsent(_:_:)``, which the
///   kernel makes atomic: exactly one of two racing writers wins), and the directory is `fsync`ed.
///   A crash leaves at most a temporary file, which listings ignore.
/// - Keys stay inside the root: ``ObjectKey`` refuses `..` and absolute paths, and the store
///   refuses any path whose resolved location (following symlinks) is outside the root.
///
/// ```swift
/// let store = try LocalFileSystemStore(root: "/data/lake")
/// try store.put(ObjectKey("hello.txt"), Array("hi".utf8))
/// ```
public final class LocalFileSystemStore: ObjectStore {
    /// The root directory, resolved (no symlinks, no trailing slash).
    public let root: String
    public var location: String { root }

    /// Opens a store at `root`, creating the directory when `create` is true.
    ///
    /// - Throws: ``CatalogError`` `.notFound` when the directory does not exist (and `create` is
    ///   false), `.storeFailure` when it cannot be made or is not a directory.
    public init(root: String, create: Bool = true) throws(CatalogError) {
        guard !root.isEmpty, !root.utf8.contains(0) else { throw CatalogError(.invalidArgument, "the store root must be a non-empty path without NUL bytes") }
        if create { try _makeDirectories(root, store: root) }
        guard let resolved = _realpath(root) else {
            throw CatalogError(code: .notFound, message: "the store's root directory does not exist", context: .init(store: root))
        }
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CatalogError(code: .storeFailure, message: "the store root is not a directory", context: .init(store: root))
        }
        self.root = resolved == "/" ? "" : resolved
    }

    // MARK: Paths

    private func failure(_ what: String, _ key: ObjectKey?, code: CatalogError.Code = .storeFailure, errno saved: Int32 = errno) -> CatalogError {
        CatalogError(code: code, message: "\(what): \(String(cString: strerror(saved)))", context: .init(store: root, key: key?.rawValue))
    }

    /// The path of a key, after checking that the deepest existing ancestor (and the object
    /// itself, when it exists) resolves inside the root.
    private func path(of key: ObjectKey) throws(CatalogError) -> String {
        let full = root + "/" + key.rawValue
        var probe = full
        while true {
            var info = stat()
            if lstat(probe, &info) == 0 {
                guard let resolved = _realpath(probe) else { break }
                guard resolved == root || resolved.hasPrefix(root + "/") else {
                    throw CatalogError(code: .invalidKey, message: "the key leads out of the store's root through a symbolic link",
                                       context: .init(store: root, key: key.rawValue))
                }
                if probe != full && (info.st_mode & S_IFMT) != S_IFDIR {
                    throw CatalogError(code: .invalidKey, message: "a parent of the key is a file, not a directory",
                                       context: .init(store: root, key: key.rawValue))
                }
                break
            }
            guard let slash = probe.lastIndex(of: "/"), probe.distance(from: probe.startIndex, to: slash) >= root.count else { break }
            probe = String(probe[..<slash])
        }
        return full
    }

    // MARK: Reads

    public func get(_ key: ObjectKey) throws(CatalogError) -> [UInt8] {
        try get(key, range: .bytes(offset: 0, count: Int.max))
    }

    public func get(_ key: ObjectKey, range: ObjectRange) throws(CatalogError) -> [UInt8] {
        let path = try path(of: key)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let saved = errno
            throw failure("cannot open", key, code: saved == ENOENT || saved == ENOTDIR ? .notFound : (saved == EACCES ? .accessDenied : .storeFailure), errno: saved)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot stat", key) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CatalogError(code: .notFound, message: "not a file", context: .init(store: root, key: key.rawValue))
        }
        guard let slice = _clamp(range, size: Int(info.st_size)) else {
            throw CatalogError(code: .invalidArgument, message: "invalid range \(range)", context: .init(store: root, key: key.rawValue))
        }
        let count = slice.count
        var failed: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(slice.lowerBound + done))
                if n > 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                failed = n == 0 ? EIO : errno
                break
            }
            initialized = done
        }
        if failed != 0 || bytes.count != count { throw failure("read failed", key, errno: failed == 0 ? EIO : failed) }
        return bytes
    }

    public func head(_ key: ObjectKey) throws(CatalogError) -> ObjectMetadata? {
        let path = try path(of: key)
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw failure("cannot stat", key)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return ObjectMetadata(key: key, size: Int(info.st_size), lastModifiedMilliseconds: _milliseconds(info))
    }

    // MARK: Writes

    public func put(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) {
        let upload = try LocalUpload(store: self, key: key, finalPath: try preparedPath(key), ifAbsent: false)
        try upload.write(bytes)
        try upload.finish()
    }

    public func putIfAbsent(_ key: ObjectKey, _ bytes: [UInt8]) throws(CatalogError) -> Bool {
        let upload = try LocalUpload(store: self, key: key, finalPath: try preparedPath(key), ifAbsent: true)
        do throws(CatalogError) {
            try upload.write(bytes)
            try upload.finish()
            return true
        } catch where error.code == .alreadyExists {
            return false
        }
    }

    public func upload(_ key: ObjectKey, ifAbsent: Bool) throws(CatalogError) -> any ObjectUpload {
        try LocalUpload(store: self, key: key, finalPath: try preparedPath(key), ifAbsent: ifAbsent)
    }

    /// The key's path with its parent directories made (inside the root).
    private func preparedPath(_ key: ObjectKey) throws(CatalogError) -> String {
        let full = try path(of: key)
        if let slash = full.lastIndex(of: "/") {
            try _makeDirectories(String(full[..<slash]), store: root)
            _ = try path(of: key)   // the made directories are still inside the root
        }
        return full
    }

    public func delete(_ key: ObjectKey) throws(CatalogError) {
        let path = try path(of: key)
        if unlink(path) != 0 && errno != ENOENT && errno != ENOTDIR { throw failure("cannot delete", key) }
    }

    // MARK: Listing

    public func list(prefix: String, startAfter: String?, limit: Int) throws(CatalogError) -> ObjectListPage {
        // Walk only the deepest directory the prefix names.
        var directory = ""
        if let slash = prefix.lastIndex(of: "/") {
            directory = String(prefix[..<slash])
            if !directory.isEmpty { guard (try? ObjectKey(directory)) != nil else { return ObjectListPage(objects: [], isTruncated: false) } }
        }
        var found: [ObjectMetadata] = []
        try walk(relative: directory) { (relative: String, info: stat) throws(CatalogError) in
            guard relative.hasPrefix(prefix) else { return }
            if let startAfter, !startAfter.utf8.lexicographicallyPrecedes(relative.utf8) { return }
            guard let key = try? ObjectKey(relative) else { return }
            found.append(ObjectMetadata(key: key, size: Int(info.st_size), lastModifiedMilliseconds: _milliseconds(info)))
        }
        found.sort { $0.key < $1.key }
        let cap = max(1, limit)
        return ObjectListPage(objects: Array(found.prefix(cap)), isTruncated: found.count > cap)
    }

    private func walk(relative: String, _ visit: (String, stat) throws(CatalogError) -> Void) throws(CatalogError) {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw CatalogError(code: .storeFailure, message: "cannot list: \(String(cString: strerror(errno)))", context: .init(store: root, key: relative))
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." || name.hasPrefix(LocalUpload.temporaryPrefix) { continue }
            names.append(name)
        }
        for name in names {
            let child = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(relative: child, visit)
            case S_IFREG: try visit(child, info)
            default: continue   // symlinks and special files are not objects
            }
        }
    }
}

/// A streaming write to a temporary file beside the target, made visible by rename or link.
final class LocalUpload: ObjectUpload {
    static let temporaryPrefix = ".lakehouse-tmp-"
    private let store: LocalFileSystemStore
    private let key: ObjectKey
    private let finalPath: String
    private let temporaryPath: String
    private let ifAbsent: Bool
    private var fd: Int32

    init(store: LocalFileSystemStore, key: ObjectKey, finalPath: String, ifAbsent: Bool) throws(CatalogError) {
        self.store = store
        self.key = key
        self.finalPath = finalPath
        self.ifAbsent = ifAbsent
        let slash = finalPath.lastIndex(of: "/")!
        var random = SystemRandomNumberGenerator()
        self.temporaryPath = String(finalPath[...slash]) + Self.temporaryPrefix + String(random.next() as UInt64, radix: 36)
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CatalogError(code: errno == EACCES ? .accessDenied : .storeFailure, message: "cannot create a temporary file: \(String(cString: strerror(errno)))",
                               context: .init(store: store.root, key: key.rawValue))
        }
    }

    deinit { if fd >= 0 { abort() } }

    private func fail(_ what: String) -> CatalogError {
        let saved = errno
        abort()
        return CatalogError(code: saved == ENOSPC ? .storeFailure : .storeFailure, message: "\(what): \(String(cString: strerror(saved)))",
                            context: .init(store: store.root, key: key.rawValue))
    }

    func write(_ bytes: [UInt8]) throws(CatalogError) {
        guard fd >= 0 else { throw CatalogError(code: .invalidArgument, message: "write after the upload ended", context: .init(store: store.root, key: key.rawValue)) }
        var failed = false
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n > 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                failed = true
                return
            }
        }
        if failed { throw fail("write failed") }
    }

    func finish() throws(CatalogError) {
        guard fd >= 0 else { throw CatalogError(code: .invalidArgument, message: "the upload ended already", context: .init(store: store.root, key: key.rawValue)) }
        guard fsync(fd) == 0 else { throw fail("fsync failed") }
        close(fd)
        fd = -1
        if ifAbsent {
            // link() fails with EEXIST when the key exists: the atomic put-if-absent.
            if link(temporaryPath, finalPath) != 0 {
                let saved = errno
                unlink(temporaryPath)
                if saved == EEXIST {
                    throw CatalogError(code: .alreadyExists, message: "an object exists at the key", context: .init(store: store.root, key: key.rawValue))
                }
                throw CatalogError(code: .storeFailure, message: "cannot link: \(String(cString: strerror(saved)))", context: .init(store: store.root, key: key.rawValue))
            }
            unlink(temporaryPath)
        } else if rename(temporaryPath, finalPath) != 0 {
            let saved = errno
            unlink(temporaryPath)
            throw CatalogError(code: .storeFailure, message: "cannot rename: \(String(cString: strerror(saved)))", context: .init(store: store.root, key: key.rawValue))
        }
        _fsyncDirectory(String(finalPath[..<finalPath.lastIndex(of: "/")!]))
    }

    func abort() {
        if fd >= 0 {
            close(fd)
            fd = -1
            unlink(temporaryPath)
        }
    }
}

// MARK: - System helpers

func _realpath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

func _fsyncDirectory(_ path: String) {
    let fd = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
        fsync(fd)
        close(fd)
    }
}

/// `mkdir -p`.
func _makeDirectories(_ path: String, store: String) throws(CatalogError) {
    var info = stat()
    if stat(path, &info) == 0 {
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw CatalogError(code: .storeFailure, message: "\(path) exists and is not a directory", context: .init(store: store))
        }
        return
    }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
        try _makeDirectories(String(path[..<slash]), store: store)
    }
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw CatalogError(code: .storeFailure, message: "cannot create directory \(path): \(String(cString: strerror(errno)))", context: .init(store: store))
    }
}

func _milliseconds(_ info: stat) -> Int64 {
    #if canImport(Darwin)
    return Int64(info.st_mtimespec.tv_sec) * 1000 + Int64(info.st_mtimespec.tv_nsec) / 1_000_000
    #else
    return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    #endif
}

/// Milliseconds since 1970, now.
func _currentMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
