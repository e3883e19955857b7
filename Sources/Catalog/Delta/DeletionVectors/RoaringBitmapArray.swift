// Delta's portable `RoaringBitmapArray` format (PROTOCOL.md, "Deletion Vector Format"), all
// little-endian:
//
//   UInt32 magic 1681511377
//   UInt64 bucket count
//   per bucket, keys ascending:  UInt32 key (the high 32 bits; top bit clear)
//                                a 32-bit Roaring bitmap of the low 32 bits (RoaringFormatSpec)
//
// A 32-bit Roaring bitmap: a cookie (12346, then a UInt32 container count; or 12347 in the low
// 16 bits with count − 1 in the high 16, then one run flag bit per container), a descriptive
// header (UInt16 key, UInt16 cardinality − 1 per container), an offset header (UInt32 per
// container, from the cookie; absent when runs are flagged and there are fewer than 4
// containers), then the containers: runs (UInt16 count, then UInt16 start and length − 1 each),
// arrays (cardinality ≤ 4096: the UInt16 values) or bitmaps (1024 UInt64 words).

extension RowIndexBitmap {
    /// The magic number of the portable format.
    static let portableMagic: UInt32 = 1_681_511_377
    /// The magic number of Delta's older native format, which readers reject.
    static let nativeMagic: UInt32 = 1_681_511_376
    /// The Roaring cookie of a bitmap without run containers.
    static let cookieWithoutRuns: UInt32 = 12346
    /// The low 16 bits of the Roaring cookie of a bitmap with run containers.
    static let cookieWithRuns: UInt32 = 12347

    /// The set in Delta's portable `RoaringBitmapArray` format: the bytes of an inline deletion
    /// vector, or of one deletion vector in a DV file (``DeletionVectorFile`` adds the size and
    /// checksum).
    ///
    /// The writer uses array and bitmap containers, never runs, so any Roaring reader accepts it.
    ///
    /// ```swift
    /// let bytes = RowIndexBitmap([0, 3, 4]).serialized()   // 38 bytes
    /// ```
    ///
    /// - Complexity: O(*c*) container copies for *c* containers.
    public func serialized() -> [UInt8] {
        // Buckets: ranges of containers sharing their key's high 32 bits.
        var buckets: [Range<Int>] = []
        var size = 12
        var start = 0
        while start < keys.count {
            var end = start
            while end < keys.count && keys[end] >> 16 == keys[start] >> 16 { end += 1 }
            buckets.append(start..<end)
            size += 12 + 8 * (end - start)
            for container in containers[start..<end] { size += Self.bodySize(container) }
            start = end
        }

        var bytes = [UInt8]()
        bytes.reserveCapacity(size)
        bytes.appendLittleEndian(Self.portableMagic)
        bytes.appendLittleEndian(UInt64(buckets.count))
        for bucket in buckets {
            bytes.appendLittleEndian(UInt32(truncatingIfNeeded: keys[bucket.lowerBound] >> 16))
            bytes.appendLittleEndian(Self.cookieWithoutRuns)
            bytes.appendLittleEndian(UInt32(bucket.count))
            for index in bucket {
                bytes.appendLittleEndian(UInt16(truncatingIfNeeded: keys[index]))
                bytes.appendLittleEndian(UInt16(containers[index].cardinality - 1))
            }
            var offset = 8 + 8 * bucket.count
            for index in bucket {
                bytes.appendLittleEndian(UInt32(offset))
                offset += Self.bodySize(containers[index])
            }
            for index in bucket { Self.appendBody(of: containers[index], to: &bytes) }
        }
        assert(bytes.count == size, "serialized size miscomputed")
        return bytes
    }

    /// The bytes of a container written as an array or a bitmap.
    private static func bodySize(_ container: RoaringContainer) -> Int {
        let cardinality = container.cardinality
        return cardinality <= RoaringContainer.arrayLimit ? 2 * cardinality : 8 * RoaringContainer.wordCount
    }

    /// Writes a container as an array (up to 4096 values) or a bitmap.
    private static func appendBody(of container: RoaringContainer, to bytes: inout [UInt8]) {
        switch container {
        case .array(let values):
            for value in values { bytes.appendLittleEndian(value) }
        case .bitmap(let words, _):
            for word in words { bytes.appendLittleEndian(word) }
        case .runs:
            if container.cardinality <= RoaringContainer.arrayLimit {
                var values = RoaringContainerIterator(container)
                while let value = values.next() { bytes.appendLittleEndian(value) }
            } else {
                for word in container.words { bytes.appendLittleEndian(word) }
            }
        }
    }

    /// Reads a set in Delta's portable `RoaringBitmapArray` format.
    ///
    /// Array, bitmap and run containers are accepted, with or without the offset header the
    /// Roaring format makes optional. Everything is validated before it is used, so hostile bytes
    /// throw instead of trapping, and memory stays proportional to the input.
    ///
    /// ```swift
    /// let bitmap = try RowIndexBitmap(serialized: bytes)
    /// ```
    ///
    /// - Parameter bytes: Exactly the serialized bitmap (a descriptor's `sizeInBytes` bytes).
    /// - Throws: ``CatalogError`` `corruptData`, naming the problem and its byte offset, for a
    ///   wrong magic number (including the old native format of PROTOCOL.md's inline example), a
    ///   truncated input, bytes after the last bucket, a key with its top bit set, keys out of
    ///   order, an unknown cookie, more than 65536 containers, container offsets, values or runs
    ///   that disagree with the headers.
    public init(serialized bytes: [UInt8]) throws(CatalogError) {
        var reader = DeletionVectorByteReader(bytes)
        try self.init(reading: &reader)
    }

    /// Reads a serialized set that fills the rest of `reader`.
    init(reading reader: inout DeletionVectorByteReader) throws(CatalogError) {
        self.init()
        let magicOffset = reader.position
        let magic = try reader.littleEndian(UInt32.self, for: "the magic number")
        guard magic == Self.portableMagic else {
            var message = "invalid magic number \(magic); a Delta deletion vector starts with "
                + "\(Self.portableMagic) (little-endian)"
            if magic == Self.nativeMagic || magic == Self.nativeMagic.byteSwapped {
                message += ". These bytes use the old native RoaringBitmapArray format (magic \(Self.nativeMagic), "
                    + "big-endian), as PROTOCOL.md's inline example does; Delta readers reject it"
            }
            throw reader.corrupt(message, at: magicOffset)
        }
        let countOffset = reader.position
        let bucketCount = try reader.littleEndian(UInt64.self, for: "the bucket count")
        // A bucket takes at least 12 bytes (key, cookie, container count).
        guard bucketCount <= UInt64(reader.remaining / 12) else {
            throw reader.corrupt("\(bucketCount) buckets cannot fit in the \(reader.remaining) bytes that follow "
                + "(a bucket takes at least 12)", at: countOffset)
        }
        var previousKey: UInt32?
        for _ in 0..<Int(bucketCount) {
            let keyOffset = reader.position
            let key = try reader.littleEndian(UInt32.self, for: "a bucket key")
            guard key & 0x8000_0000 == 0 else {
                throw reader.corrupt("bucket key \(key) has its top bit set (Delta keys are below 2³¹)", at: keyOffset)
            }
            if let previousKey, key <= previousKey {
                throw reader.corrupt("bucket key \(key) follows key \(previousKey) (keys must ascend)", at: keyOffset)
            }
            previousKey = key
            try readRoaring32(&reader, high: UInt64(key) << 16)
        }
        guard reader.remaining == 0 else {
            throw reader.corrupt("\(reader.remaining) unexpected bytes after the last bucket")
        }
    }

    /// Reads one 32-bit Roaring bitmap and appends its containers under the key prefix `high`.
    private mutating func readRoaring32(_ reader: inout DeletionVectorByteReader, high: UInt64) throws(CatalogError) {
        let start = reader.position
        let cookie = try reader.littleEndian(UInt32.self, for: "a Roaring cookie")
        let count: Int
        var runFlags: ArraySlice<UInt8> = []
        let hasOffsets: Bool
        if cookie == Self.cookieWithoutRuns {
            let declared = try reader.littleEndian(UInt32.self, for: "the container count")
            guard declared <= 65536 else {
                throw reader.corrupt("container count \(declared) is above 65536", at: start + 4)
            }
            count = Int(declared)
            hasOffsets = true
        } else if cookie & 0xFFFF == Self.cookieWithRuns {
            count = Int(cookie >> 16) + 1
            let flagBytes = (count + 7) / 8
            try reader.require(flagBytes, for: "the run flags of \(count) containers")
            runFlags = reader.bytes[reader.position ..< reader.position + flagBytes]
            try reader.skip(flagBytes, for: "the run flags")
            hasOffsets = count >= 4
        } else {
            throw reader.corrupt("unknown Roaring cookie \(cookie) (expected 12346, or 12347 in the low 16 bits)", at: start)
        }
        try reader.require(count * (hasOffsets ? 8 : 4), for: "the headers of \(count) containers")

        var containerKeys = [UInt16]()
        var cardinalities = [Int]()
        containerKeys.reserveCapacity(count)
        cardinalities.reserveCapacity(count)
        for index in 0..<count {
            let keyOffset = reader.position
            let key = try reader.littleEndian(UInt16.self, for: "a container key")
            if let previous = containerKeys.last, key <= previous {
                throw reader.corrupt("container key \(key) follows key \(previous) (keys must ascend)", at: keyOffset)
            }
            containerKeys.append(key)
            cardinalities.append(Int(try reader.littleEndian(UInt16.self, for: "the cardinality of container \(index)")) + 1)
        }
        let offsetHeader = reader.position
        if hasOffsets { try reader.skip(4 * count, for: "the offset header") }

        for index in 0..<count {
            if hasOffsets {
                var entry = DeletionVectorByteReader(reader.bytes, range: offsetHeader + 4 * index ..< offsetHeader + 4 * index + 4,
                                                     origin: reader.origin)
                let declared = try entry.littleEndian(UInt32.self, for: "a container offset")
                guard Int(declared) == reader.position - start else {
                    throw reader.corrupt("the offset header places container \(index) at \(declared), but it starts at "
                        + "\(reader.position - start) from the cookie", at: offsetHeader + 4 * index)
                }
            }
            let isRun = runFlags.isEmpty ? false : runFlags[runFlags.startIndex + index / 8] >> (index % 8) & 1 == 1
            let container = try Self.readContainer(&reader, index: index, cardinality: cardinalities[index], isRun: isRun)
            keys.append(high | UInt64(containerKeys[index]))
            containers.append(container)
        }
    }

    /// Reads the body of container `index`, checking it against its declared cardinality.
    private static func readContainer(
        _ reader: inout DeletionVectorByteReader, index: Int, cardinality: Int, isRun: Bool
    ) throws(CatalogError) -> RoaringContainer {
        let start = reader.position
        if isRun {
            let runCount = Int(try reader.littleEndian(UInt16.self, for: "the run count of container \(index)"))
            guard runCount > 0 else { throw reader.corrupt("run container \(index) has no runs", at: start) }
            try reader.require(4 * runCount, for: "the \(runCount) runs of container \(index)")
            var runs = [RoaringRun]()
            runs.reserveCapacity(runCount)
            var total = 0
            for _ in 0..<runCount {
                let runOffset = reader.position
                let first = try reader.littleEndian(UInt16.self, for: "a run start")
                let lengthMinusOne = try reader.littleEndian(UInt16.self, for: "a run length")
                guard Int(first) + Int(lengthMinusOne) <= 0xFFFF else {
                    throw reader.corrupt("run \(first)+\(lengthMinusOne) of container \(index) passes 65535", at: runOffset)
                }
                if let previous = runs.last, first <= previous.last {
                    throw reader.corrupt("run at \(first) of container \(index) overlaps or precedes the run ending at "
                        + "\(previous.last)", at: runOffset)
                }
                runs.append(RoaringRun(start: first, lengthMinusOne: lengthMinusOne))
                total += Int(lengthMinusOne) + 1
            }
            guard total == cardinality else {
                throw reader.corrupt("run container \(index) holds \(total) values but its header says \(cardinality)", at: start)
            }
            return .runs(runs)
        }
        if cardinality <= RoaringContainer.arrayLimit {
            try reader.require(2 * cardinality, for: "the \(cardinality) values of array container \(index)")
            var values = [UInt16]()
            values.reserveCapacity(cardinality)
            for _ in 0..<cardinality {
                let valueOffset = reader.position
                let value = try reader.littleEndian(UInt16.self, for: "an array value")
                if let previous = values.last, value <= previous {
                    throw reader.corrupt("value \(value) of array container \(index) follows \(previous) (values must ascend)",
                                         at: valueOffset)
                }
                values.append(value)
            }
            return .array(values)
        }
        try reader.require(8 * RoaringContainer.wordCount, for: "bitmap container \(index)")
        var words = [UInt64]()
        words.reserveCapacity(RoaringContainer.wordCount)
        var total = 0
        for _ in 0..<RoaringContainer.wordCount {
            let word = try reader.littleEndian(UInt64.self, for: "a bitmap word")
            total += word.nonzeroBitCount
            words.append(word)
        }
        guard total == cardinality else {
            throw reader.corrupt("bitmap container \(index) has \(total) bits set but its header says \(cardinality)", at: start)
        }
        return .bitmap(words: words, cardinality: cardinality)
    }
}
