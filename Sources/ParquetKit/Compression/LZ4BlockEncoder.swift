/// A greedy LZ4 block compressor: one hash table of recent 4-byte sequences, no chains.
///
/// It honours the block format's end rules, which decoders rely on: the last 5 bytes are always
/// literals, and the last match starts at least 12 bytes before the end of the input.
enum LZ4BlockEncoder {
    /// The shortest match the format can express.
    static let minimumMatchLength = 4
    /// The block always ends with at least this many literals (LZ4's `LASTLITERALS`).
    static let lastLiteralCount = 5
    /// The last match starts at least this many bytes before the end (LZ4's `MFLIMIT`).
    static let lastMatchDistance = 12
    /// The largest offset a 2-byte field holds.
    static let maximumOffset = 65_535
    /// The largest input the reference implementation accepts (`LZ4_MAX_INPUT_SIZE`).
    static let maximumInputSize = 0x7E00_0000

    /// An upper bound on the compressed size of `count` bytes (LZ4's `LZ4_compressBound`).
    static func maxCompressedLength(_ count: Int) -> Int {
        count + count / 255 + 16
    }

    static func compress(_ source: UnsafeRawBufferPointer) throws(ParquetError) -> [UInt8] {
        try checkInputSize(source.count)
        return try withCompressionScratch(capacity: maxCompressedLength(source.count)) { (scratch) throws(ParquetError) in
            compressBlock(source, into: scratch)
        }
    }

    static func checkInputSize(_ count: Int) throws(ParquetError) {
        guard count <= maximumInputSize else {
            throw .invalidInput(
                .invalidArgument,
                "LZ4 compresses at most \(maximumInputSize) bytes at once, not \(count)")
        }
    }

    /// Compresses `source` into `output`, which holds at least `maxCompressedLength(source.count)`
    /// bytes, and returns the number of bytes written.
    static func compressBlock(
        _ source: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Int {
        precondition(source.count <= maximumInputSize, "LZ4 input too large for 32-bit positions")
        precondition(output.count >= maxCompressedLength(source.count), "LZ4 output buffer too small")
        var writer = LZ4SequenceWriter(output)
        let count = source.count
        guard count > lastMatchDistance, let input = source.baseAddress else {
            writer.writeLastLiterals(source.baseAddress, count: count)
            return writer.position
        }

        let hashLog = min(16, max(10, Int.bitWidth - count.leadingZeroBitCount))
        let table = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 1 << hashLog)
        table.initialize(repeating: -1)
        defer { table.deallocate() }

        let lastMatchStart = count - lastMatchDistance
        let matchEndLimit = count - lastLiteralCount
        var anchor = 0
        var position = 0
        var misses = 0
        while position <= lastMatchStart {
            let sequence = input.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            let slot = hash(input, at: position, log: hashLog)
            let candidate = Int(table[slot])
            table[slot] = Int32(truncatingIfNeeded: position)
            guard candidate >= 0, position - candidate <= maximumOffset,
                input.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == sequence
            else {
                // Step faster through data that does not compress, as the reference does.
                misses += 1
                position += 1 + misses >> 6
                continue
            }
            var start = position
            var reference = candidate
            while start > anchor, reference > 0,
                input.load(fromByteOffset: start - 1, as: UInt8.self)
                    == input.load(fromByteOffset: reference - 1, as: UInt8.self)
            {
                start -= 1
                reference -= 1
            }
            let end = matchEnd(input, from: position + minimumMatchLength,
                               reference: candidate + minimumMatchLength, limit: matchEndLimit)
            writer.writeSequence(
                literals: input + anchor, literalCount: start - anchor,
                offset: start - reference, matchLength: end - start)
            position = end
            anchor = end
            misses = 0
            // Remember a position inside the match too: the next repeat often starts there.
            if end - 2 <= lastMatchStart {
                table[hash(input, at: end - 2, log: hashLog)] = Int32(truncatingIfNeeded: end - 2)
            }
        }
        writer.writeLastLiterals(input + anchor, count: count - anchor)
        return writer.position
    }

    /// Hashes the 5 bytes at `position` to `log` bits. Hashing one byte more than the minimum
    /// match favours candidates that match longer, as the reference compressor does on 64-bit.
    /// Reads 8 bytes, so `position` is at most `count - 8`.
    @inline(__always)
    private static func hash(_ input: UnsafeRawPointer, at position: Int, log: Int) -> Int {
        let bytes = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self))
        return Int(truncatingIfNeeded: ((bytes << 24) &* 889_523_592_379) >> UInt64(64 - log))
    }

    /// Extends a match forward, 8 bytes at a time, stopping at `limit`; returns its end.
    @inline(__always)
    private static func matchEnd(
        _ input: UnsafeRawPointer, from start: Int, reference: Int, limit: Int
    ) -> Int {
        var position = start
        var reference = reference
        while position + 8 <= limit {
            let ahead = input.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            let behind = input.loadUnaligned(fromByteOffset: reference, as: UInt64.self)
            let difference = UInt64(littleEndian: ahead ^ behind)
            if difference != 0 {
                return position + difference.trailingZeroBitCount / 8
            }
            position += 8
            reference += 8
        }
        while position < limit,
            input.load(fromByteOffset: position, as: UInt8.self)
                == input.load(fromByteOffset: reference, as: UInt8.self)
        {
            position += 1
            reference += 1
        }
        return position
    }
}

/// Writes LZ4 sequences into a buffer sized with `LZ4BlockEncoder.maxCompressedLength`.
struct LZ4SequenceWriter {
    private let base: UnsafeMutableRawPointer
    private let capacity: Int
    private(set) var position = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        // The buffer always holds at least the 16 bytes of the bound's constant.
        self.base = buffer.baseAddress!
        self.capacity = buffer.count
    }

    /// Writes a sequence: token, literals, offset, match length continuation.
    mutating func writeSequence(
        literals: UnsafeRawPointer, literalCount: Int, offset: Int, matchLength: Int
    ) {
        let matchCode = matchLength - LZ4BlockEncoder.minimumMatchLength
        let worstCase = 1 + literalCount + literalCount / 255 + 1 + 2 + matchCode / 255 + 1
        precondition(capacity - position >= worstCase, "LZ4 output bound violated")
        writeByte(UInt8(min(literalCount, 15) << 4 | min(matchCode, 15)))
        if literalCount >= 15 { writeContinuation(literalCount - 15) }
        (base + position).copyMemory(from: literals, byteCount: literalCount)
        position += literalCount
        writeByte(UInt8(truncatingIfNeeded: offset))
        writeByte(UInt8(truncatingIfNeeded: offset >> 8))
        if matchCode >= 15 { writeContinuation(matchCode - 15) }
    }

    /// Writes the final, literal-only sequence.
    mutating func writeLastLiterals(_ literals: UnsafeRawPointer?, count: Int) {
        precondition(capacity - position >= 1 + count + count / 255 + 1, "LZ4 output bound violated")
        writeByte(UInt8(min(count, 15) << 4))
        if count >= 15 { writeContinuation(count - 15) }
        if let literals, count > 0 {
            (base + position).copyMemory(from: literals, byteCount: count)
            position += count
        }
    }

    /// Writes the rest of a length whose nibble was 15: bytes of 255, then the remainder.
    @inline(__always)
    private mutating func writeContinuation(_ remainder: Int) {
        let fullBytes = remainder / 255
        (base + position).initializeMemory(as: UInt8.self, repeating: 255, count: fullBytes)
        position += fullBytes
        writeByte(UInt8(remainder - fullBytes * 255))
    }

    @inline(__always)
    private mutating func writeByte(_ byte: UInt8) {
        base.storeBytes(of: byte, toByteOffset: position, as: UInt8.self)
        position += 1
    }
}
