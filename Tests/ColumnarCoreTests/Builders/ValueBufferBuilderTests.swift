import ColumnarCore
import Testing

/// `ValueBufferBuilder` grows, keeps copies independent (copy-on-write) and hands its storage to
/// the finished buffer; slab-sized buffers (64 KiB – 1 MiB) never overlap one another.
@Suite struct ValueBufferBuilderTests {
    @Test("appends of every kind land in order and finish() returns exactly them")
    func appends() {
        var builder = ValueBufferBuilder<Int64>()
        builder.append(1)
        builder.append(repeating: 7, count: 3)
        [10, 11].withUnsafeBufferPointer { builder.append(contentsOf: $0) }
        builder.append(contentsOf: (20..<23).lazy.map { Int64($0) })  // not contiguous
        // Unaligned little-endian bytes, as in a file page.
        var raw: [UInt8] = [0xFF]
        for value in [Int64(-2), 300] { withUnsafeBytes(of: value.littleEndian) { raw.append(contentsOf: $0) } }
        raw.withUnsafeBytes { builder.append(unalignedBytes: $0.baseAddress! + 1, count: 2) }
        builder.appendUninitialized(count: 2) { $0[0] = 40; $0[1] = 41 }
        #expect(builder.count == 13)
        #expect(builder[4] == 10)
        #expect(builder.last == 41)
        builder.removeLast(1)
        let values = builder.finish()
        #expect(Array(values) == [1, 7, 7, 7, 10, 11, 20, 21, 22, -2, 300, 40])
        #expect(builder.count == 0)
        builder.append(5)
        #expect(Array(builder.finish()) == [5])
        #expect(Array(values) == [1, 7, 7, 7, 10, 11, 20, 21, 22, -2, 300, 40], "a later finish leaves earlier buffers alone")
    }

    @Test("a copy of a builder is independent of the original (copy-on-write)")
    func copyOnWrite() {
        var original = ValueBufferBuilder<Int32>(capacity: 8)
        original.append(contentsOf: [1, 2, 3])
        var copy = original
        copy.append(4)
        original.append(9)
        #expect(Array(original.finish()) == [1, 2, 3, 9])
        #expect(Array(copy.finish()) == [1, 2, 3, 4])
    }

    @Test("appending after finish() never writes into the finished buffer")
    func finishedBuffersAreImmutable() {
        var builder = ValueBufferBuilder<UInt8>(capacity: 100)
        builder.append(contentsOf: [1, 2, 3])
        var twin = builder  // shares the storage that finish() hands out
        let finished = builder.finish()
        twin.append(4)
        #expect(Array(finished) == [1, 2, 3])
        #expect(Array(twin.finish()) == [1, 2, 3, 4])
    }

    @Test("a throwing initializer appends nothing")
    func throwingAppend() {
        struct Stop: Error {}
        var builder = ValueBufferBuilder<Int16>()
        builder.append(1)
        #expect(throws: Stop.self) {
            try builder.appendUninitialized(count: 4) { (_) throws(Stop) in throw Stop() }
        }
        #expect(Array(builder.finish()) == [1])
    }

    @Test("growth far past the initial capacity keeps every value")
    func growth() {
        var builder = ValueBufferBuilder<UInt64>(capacity: 1)
        for i in 0..<100_000 { builder.append(UInt64(i) &* 2_654_435_761) }
        let values = builder.finish()
        #expect(values.count == 100_000)
        #expect(values.enumerated().allSatisfy { $0.element == UInt64($0.offset) &* 2_654_435_761 })
    }

    @Test("buffers of 64 KiB to 1 MiB share slabs without overlapping, and freed slabs are reused cleanly")
    func slabBlocksDoNotOverlap() {
        for round in 0..<3 {
            // Sizes straddling the slab range, several per 2 MiB slab, with a hole freed midway.
            var kept: [ValueBuffer<UInt32>] = []
            for (index, count) in [20_000, 70_000, 250_000, 16_384, 130_000, 260_000, 90_000].enumerated() {
                let marker = UInt32(round * 100 + index)
                let buffer = ValueBuffer<UInt32>(repeating: marker, count: count)
                if index % 2 == 0 { kept.append(buffer) }
            }
            for (position, buffer) in kept.enumerated() {
                let marker = UInt32(round * 100 + position * 2)
                #expect(buffer.withUnsafeBufferPointer { $0.allSatisfy { $0 == marker } }, "round \(round), buffer \(position)")
            }
        }
    }

    @Test("scratch buffers of every size class can be filled end to end")
    func scratch() {
        for size in [0, 1, 1_000, 70_000, 1 << 20, (1 << 20) + 1, 3 << 20] {
            let scratch = ScratchBuffer(byteCount: size)
            #expect(scratch.bytes.count == size)
            scratch.bytes.initializeMemory(as: UInt8.self, repeating: 0xAB)
            #expect(scratch.bytes.allSatisfy { $0 == 0xAB })
        }
    }
}
