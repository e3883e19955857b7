import Crypto
import Foundation

/// A streaming upload to S3: bytes are buffered up to the store's multipart threshold; a small
/// object becomes one PUT at ``finish()``, a larger one a multipart upload whose parts are sent
/// as the buffer fills. Any failure, and ``abort()``, aborts the multipart upload so that no parts
/// stay behind (S3 keeps, and bills, the parts of an upload that was neither completed nor aborted).
final class S3MultipartUpload: ObjectUpload {
    private let store: S3Store
    private let key: ObjectKey
    private let ifAbsent: Bool
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var parts: [(number: Int, etag: String)] = []
    private var open = true

    init(store: S3Store, key: ObjectKey, ifAbsent: Bool) {
        self.store = store
        self.key = key
        self.ifAbsent = ifAbsent
    }

    deinit { if open { abort() } }

    private func ended(_ what: String) -> CatalogError {
        CatalogError(code: .invalidArgument, message: "\(what): the upload ended already", context: .init(store: store.location, key: key.rawValue))
    }

    func write(_ bytes: [UInt8]) throws(CatalogError) {
        guard open else { throw ended("write") }
        buffer += bytes
        let partSize = store.configuration.partSize
        guard uploadID != nil || buffer.count > store.configuration.multipartThreshold else { return }
        do throws(CatalogError) {
            // Keep at least one byte back: the last part is sent by finish().
            while buffer.count > partSize {
                try sendPart(Array(buffer[..<partSize]))
                buffer.removeFirst(partSize)
            }
        } catch {
            abort()
            throw error
        }
    }

    func finish() throws(CatalogError) {
        guard open else { throw ended("finish") }
        guard let uploadID else {
            open = false
            let bytes = buffer
            buffer = []
            if !ifAbsent { return try store.put(key, bytes) }
            guard try store.putIfAbsent(key, bytes) else { throw alreadyExists() }
            return
        }
        do throws(CatalogError) {
            if !buffer.isEmpty { try sendPart(buffer) }
            buffer = []
            try store.completeMultipartUpload(key, uploadID: uploadID, parts: parts, ifAbsent: ifAbsent)
            open = false
        } catch {
            abort()
            throw error
        }
    }

    func abort() {
        open = false
        buffer = []
        if let uploadID {
            self.uploadID = nil
            store.abortMultipartUpload(key, uploadID: uploadID)
        }
    }

    private func sendPart(_ bytes: [UInt8]) throws(CatalogError) {
        if uploadID == nil { uploadID = try store.createMultipartUpload(key) }
        let number = parts.count + 1
        parts.append((number, try store.uploadPart(key, uploadID: uploadID!, number: number, bytes: bytes)))
    }

    private func alreadyExists() -> CatalogError {
        CatalogError(code: .alreadyExists, message: "an object exists at the key", context: .init(store: store.location, key: key.rawValue))
    }
}

// The multipart requests.
extension S3Store {
    /// CreateMultipartUpload: the new upload's id.
    func createMultipartUpload(_ key: ObjectKey) throws(CatalogError) -> String {
        let request = S3Request(method: "POST", key: fullKey(key.rawValue), query: [("uploads", "")],
                                headers: ["content-type": "application/octet-stream"])
        let response = try send(request, "CreateMultipartUpload", key: key)
        guard response.succeeded else { throw failure(response, "CreateMultipartUpload", key: key) }
        guard let id = S3XMLNode.parse(response.body)?.value("UploadId"), !id.isEmpty else {
            throw CatalogError(code: .storeFailure, message: "CreateMultipartUpload answered without an UploadId", context: .init(store: location, key: key.rawValue))
        }
        return id
    }

    /// UploadPart: the part's ETag.
    func uploadPart(_ key: ObjectKey, uploadID: String, number: Int, bytes: [UInt8]) throws(CatalogError) -> String {
        let request = S3Request(method: "PUT", key: fullKey(key.rawValue), query: [("partNumber", String(number)), ("uploadId", uploadID)],
                                headers: ["content-type": "application/octet-stream"], body: bytes)
        let response = try send(request, "UploadPart \(number)", key: key)
        guard response.succeeded else { throw failure(response, "UploadPart \(number)", key: key) }
        guard let etag = response.headers["etag"] else {
            throw CatalogError(code: .storeFailure, message: "UploadPart \(number) answered without an ETag", context: .init(store: location, key: key.rawValue))
        }
        return etag
    }

    /// CompleteMultipartUpload, with `If-None-Match: *` when `ifAbsent`.
    ///
    /// - Throws: `.alreadyExists` when `ifAbsent` and the key exists (412).
    func completeMultipartUpload(_ key: ObjectKey, uploadID: String, parts: [(number: Int, etag: String)], ifAbsent: Bool) throws(CatalogError) {
        var document = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts { document += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(Self.escapeXML(part.etag))</ETag></Part>" }
        document += "</CompleteMultipartUpload>"
        var headers = ["content-type": "application/xml"]
        if ifAbsent { headers["if-none-match"] = "*" }
        var request = S3Request(method: "POST", key: fullKey(key.rawValue), query: [("uploadId", uploadID)], headers: headers, body: Array(document.utf8))
        request.errorMayComeWith200 = true
        var conflicts = 0
        while true {
            let response = try send(request, "CompleteMultipartUpload", key: key)
            if response.succeeded { return }
            switch (response.status, response.errorCode) {
            case (412, _):
                throw CatalogError(code: .alreadyExists, message: "an object exists at the key", context: .init(store: location, key: key.rawValue))
            case (409, _) where conflicts < 2 * configuration.retry.maxAttempts:
                conflicts += 1   // ConditionalRequestConflict: send again
                Thread.sleep(forTimeInterval: configuration.retry.backoff(after: conflicts))
            case (404, "NoSuchUpload"?) where response.afterUncertainAttempt:
                // An earlier attempt may have completed the upload: it did if the object's ETag is
                // the multipart ETag of our parts.
                if let etag = try head(key)?.etag, etag == Self.multipartETag(parts.map(\.etag)) { return }
                throw failure(response, "CompleteMultipartUpload", key: key)
            default:
                throw failure(response, "CompleteMultipartUpload", key: key)
            }
        }
    }

    /// AbortMultipartUpload, best effort: a failure is not reported (the caller is already
    /// failing, and a lifecycle rule can clean up what is left).
    func abortMultipartUpload(_ key: ObjectKey, uploadID: String) {
        _ = try? send(S3Request(method: "DELETE", key: fullKey(key.rawValue), query: [("uploadId", uploadID)]), "AbortMultipartUpload", key: key)
    }

    /// ListMultipartUploads: the keys (store prefix removed) and ids of uploads neither completed
    /// nor aborted, under the store's prefix (first page only).
    func pendingMultipartUploads() throws(CatalogError) -> [(key: String, uploadID: String)] {
        let storePrefix = configuration.prefix.isEmpty ? "" : configuration.prefix + "/"
        let response = try send(S3Request(method: "GET", key: nil, query: [("uploads", ""), ("prefix", storePrefix)]), "ListMultipartUploads", key: nil)
        guard response.succeeded, let result = S3XMLNode.parse(response.body) else { throw failure(response, "ListMultipartUploads", key: nil) }
        return result.children("Upload").compactMap { upload in
            guard let key = upload.value("Key"), let id = upload.value("UploadId") else { return nil }
            return (String(key.dropFirst(storePrefix.count)), id)
        }
    }

    /// The ETag S3 gives a multipart object: the MD5 of the parts' binary MD5s, `-`, the part count.
    static func multipartETag(_ partETags: [String]) -> String {
        var digests: [UInt8] = []
        for etag in partETags {
            let hex = Array(etag.utf8.filter { $0 != UInt8(ascii: "\"") })
            guard hex.count == 32 else { return "" }
            for index in stride(from: 0, to: 32, by: 2) {
                guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { return "" }
                digests.append(byte)
            }
        }
        return "\"\(SigV4Signer.hex(Insecure.MD5.hash(data: digests)))-\(partETags.count)\""
    }

    static func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
