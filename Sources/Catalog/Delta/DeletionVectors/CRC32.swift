// The Catalog module's only call into zlib: CRC-32 for deletion-vector files.

internal import CZlib

/// zlib's CRC-32 (the IEEE polynomial), which Delta stores after each deletion vector in a file.
enum CRC32 {
    /// The CRC-32 of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                // zlib takes a 32-bit length.
                let length = Swift.min(buffer.count - offset, 1 << 30)
                crc = CZlib.crc32(crc, base + offset, UInt32(length))
                offset += length
            }
            return UInt32(truncatingIfNeeded: crc)
        }
    }
}
