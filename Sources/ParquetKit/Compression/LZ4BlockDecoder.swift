/// A decoder for the LZ4 block format, the payload of `LZ4_RAW` and of Hadoop-framed `LZ4` pages.
///
/// A block is a run of sequences. Each starts with a token byte: its high nibble is the literal
/// length, its low nibble the match length minus 4; a nibble of 15 continues in following bytes,
/// each added, until one is not 255. The literals follow, then a 2-byte little-endian offset back
/// into the output. The last sequence has literals only.
///
/// Every read and write is checked against its buffer: an offset of 0 or one reaching before the
/// start of the output, a length running past either end, all throw.
enum LZ4BlockDecoder {
    /// The largest expansion of a block: each continuation byte of 255 adds 255 bytes of match.
    static let maximumRatio = 255

    static func checkDeclaredSize(
        of source: UnsafeRawBufferPointer, uncompressedSize: Int
    ) throws(ParquetError) {
        try checkExpansion(of: source, to: uncompressedSize, maximumRatio: maximumRatio)
    }

    /// Decodes a block that must fill `destination` exactly.
    static func decode(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) {
        let written = try decodeBlock(source, into: destination)
        guard written == destination.count else {
            throw sizeMismatch(declared: destination.count, actual: "\(written)")
        }
    }

    /// Decodes a block into the start of `destination` and returns the number of bytes written.
    ///
    /// - Throws: `uncompressedSizeMismatch` if the block decodes to more than `destination.count`
    ///   bytes, `truncatedInput` if it ends inside a sequence, `corruptCompressedData` for a bad
    ///   offset.
    static func decodeBlock(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(ParquetError) -> Int {
        guard let input = source.baseAddress else { return 0 }
        // `output` is nil only when `destination` is empty; every write below is preceded by a
        // check that leaves room, so it is never dereferenced then.
        let output = destination.baseAddress
        let inputEnd = source.count
        let outputEnd = destination.count
        var ip = 0
        var op = 0
        while ip < inputEnd {
            let token = Int(input.load(fromByteOffset: ip, as: UInt8.self))
            ip += 1

            var literalLength = token >> 4
            if literalLength == 15 {
                literalLength += try readLengthContinuation(input, at: &ip, end: inputEnd)
            }
            if literalLength <= 16 && inputEnd - ip >= 16 && outputEnd - op >= 16 {
                // Most runs are short: copy 16 bytes whatever the length; later writes replace
                // the excess.
                copy16(from: input + ip, to: output! + op)
            } else {
                guard literalLength <= inputEnd - ip else {
                    throw .invalidInput(.truncatedInput, "LZ4 literals run past the end of the block")
                }
                guard literalLength <= outputEnd - op else {
                    throw tooLong(destination.count)
                }
                if literalLength > 0 {
                    (output! + op).copyMemory(from: input + ip, byteCount: literalLength)
                }
            }
            ip += literalLength
            op += literalLength
            if ip == inputEnd {
                break  // The last sequence carries literals only.
            }

            guard inputEnd - ip >= 2 else {
                throw .invalidInput(.truncatedInput, "LZ4 block ends inside a match offset")
            }
            let offset = Int(UInt16(littleEndian: input.loadUnaligned(fromByteOffset: ip, as: UInt16.self)))
            ip += 2
            guard offset != 0 else {
                throw .invalidInput(.corruptCompressedData, "LZ4 match with offset 0 at output byte \(op)")
            }
            guard offset <= op else {
                throw .invalidInput(
                    .corruptCompressedData,
                    "LZ4 match offset \(offset) reaches before the start of the output at byte \(op)")
            }
            var matchLength = token & 15
            if matchLength == 15 {
                matchLength += try readLengthContinuation(input, at: &ip, end: inputEnd)
            }
            matchLength += 4
            guard matchLength <= outputEnd - op else {
                throw tooLong(destination.count)
            }
            if offset >= 8 && matchLength <= 32 && outputEnd - op >= matchLength + 8 {
                // Short match, no close overlap: copy 8 bytes at a time. Each chunk reads only
                // bytes already final, because the source is at least 8 bytes behind.
                let target = output! + op
                var copied = 0
                repeat {
                    copy8(from: target + (copied - offset), to: target + copied)
                    copied += 8
                } while copied < matchLength
            } else {
                copyMatch(in: output!, at: op, offset: offset, length: matchLength)
            }
            op += matchLength
        }
        return op
    }

    /// Reads the continuation bytes of a length whose nibble was 15.
    @inline(__always)
    private static func readLengthContinuation(
        _ input: UnsafeRawPointer, at ip: inout Int, end: Int
    ) throws(ParquetError) -> Int {
        var total = 0
        while ip < end {
            let byte = Int(input.load(fromByteOffset: ip, as: UInt8.self))
            ip += 1
            total += byte
            if byte != 255 { return total }
        }
        throw .invalidInput(.truncatedInput, "LZ4 block ends inside a length")
    }

    @inline(__always)
    private static func copy8(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
    }

    @inline(__always)
    private static func copy16(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        let low = source.loadUnaligned(as: UInt64.self)
        let high = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        target.storeBytes(of: low, as: UInt64.self)
        target.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
    }

    /// Copies `length` bytes from `offset` bytes behind `position` to `position`.
    @inline(__always)
    private static func copyMatch(
        in output: UnsafeMutableRawPointer, at position: Int, offset: Int, length: Int
    ) {
        let source = output + (position - offset)
        let target = output + position
        if offset >= length {
            target.copyMemory(from: source, byteCount: length)
        } else if offset == 1 {
            target.initializeMemory(
                as: UInt8.self, repeating: source.load(as: UInt8.self), count: length)
        } else {
            // The match overlaps its own output, so the bytes repeat with period `offset`. Copy
            // from `source` in spans that end where the copying starts (never overlapping); each
            // span is a whole number of periods and twice as long as the one before.
            var copied = 0
            while copied < length {
                let span = min(offset + copied, length - copied)
                (target + copied).copyMemory(from: source, byteCount: span)
                copied += span
            }
        }
    }

    private static func tooLong(_ declared: Int) -> ParquetError {
        sizeMismatch(declared: declared, actual: "more than \(declared)")
    }
}
