import Testing
@testable import Catalog

@Suite struct RowIndexBitmapTests {
    @Test("holds a set: duplicates once, sorted iteration, count, contains")
    func basics() {
        let bitmap = RowIndexBitmap([9, 3, 0, 4, 3, 1 << 40, 70_000])
        #expect(Array(bitmap) == [0, 3, 4, 9, 70_000, 1 << 40])
        #expect(bitmap.count == 6)
        for row: UInt64 in [4, 1 << 40, 70_000] { #expect(bitmap.contains(row)) }
        for row: UInt64 in [5, 1 << 41, 70_001] { #expect(!bitmap.contains(row)) }
        #expect(bitmap.largestRowIndex == 1 << 40)
        let empty = RowIndexBitmap()
        #expect(empty.isEmpty)
        #expect(empty.count == 0)
        #expect(empty.largestRowIndex == nil)
        #expect(bitmap.description == "RowIndexBitmap(count: 6, [0, 3, 4, 9, 70000, 1099511627776])")
    }

    @Test("insert reports new rows and turns an array container into a bitmap past 4096 values")
    func insert() throws {
        var bitmap = RowIndexBitmap()
        let first = bitmap.insert(5), again = bitmap.insert(5)
        #expect(first && !again)
        for row in stride(from: UInt64(0), to: 10_000, by: 2) { bitmap.insert(row) }
        #expect(bitmap.count == 5001)
        guard case .bitmap(_, let cardinality) = try #require(bitmap.containers.first) else {
            Issue.record("expected a bitmap container")
            return
        }
        #expect(cardinality == 5001)
        let present = bitmap.insert(9_998), absent = bitmap.insert(9_999)
        #expect(!present && absent)
        #expect(bitmap.count == 5002)
        var expected: [UInt64] = Array(stride(from: 0, to: 10_000, by: 2))
        expected += [5, 9_999]
        #expect(bitmap == RowIndexBitmap(expected))
    }

    @Test("union merges containers, across arrays and bitmaps")
    func union() {
        let evens = RowIndexBitmap(stride(from: UInt64(0), to: 6000, by: 2))
        let odds = RowIndexBitmap(stride(from: UInt64(1), to: 6000, by: 2))
        let far: RowIndexBitmap = [1 << 33, 7]
        let all = evens.union(odds).union(far)
        #expect(all.count == 6001)
        var expected: [UInt64] = Array(0..<6000)
        expected.append(1 << 33)
        #expect(Array(all) == expected)
        var copy = far
        copy.formUnion(evens)
        #expect(copy == evens.union(far))
        #expect(RowIndexBitmap([1, 2]).union(RowIndexBitmap([2, 3])) == [1, 2, 3])
    }

    @Test("deletedMask and keptRowIndexes apply the set to a file of n rows, ignoring rows beyond n")
    func masks() {
        let bitmap: RowIndexBitmap = [0, 3, 4, 10]
        #expect(bitmap.deletedMask(rowCount: 6) == [true, false, false, true, true, false])
        #expect(bitmap.keptRowIndexes(rowCount: 6) == [1, 2, 5])
        #expect(bitmap.deletedMask(rowCount: 0) == [])
        #expect(bitmap.keptRowIndexes(rowCount: -1) == [])

        let dense = RowIndexBitmap(stride(from: UInt64(0), to: 200_000, by: 3))
        let mask = dense.deletedMask(rowCount: 150_000)
        #expect(mask.count == 150_000)
        #expect(mask.indices.allSatisfy { mask[$0] == ($0 % 3 == 0) })
        #expect(dense.keptRowIndexes(rowCount: 150_000).count == 100_000)
    }

    @Test("equal sets are equal and hash alike whatever their containers' forms")
    func equalityAcrossForms() throws {
        // A run container from the wire and the same rows built here (an array container).
        let runs = RowIndexBitmap(keys: [0], containers: [.runs([RoaringRun(start: 5, lengthMinusOne: 19)])])
        let built = RowIndexBitmap(5..<25)
        #expect(runs == built)
        #expect(runs.hashValue == built.hashValue)
        #expect(Set([runs, built]).count == 1)
        #expect(runs != RowIndexBitmap(5..<24))
        var grown = runs
        let inserted = grown.insert(25)
        #expect(inserted)
        #expect(grown == RowIndexBitmap(5..<26))
        guard case .array = try #require(grown.containers.first) else {
            Issue.record("inserting into a run container should make it canonical")
            return
        }
    }

    @Test("random sets match a Set<UInt64> model for contains, count, order and union", arguments: [1, 2, 3, 4] as [UInt64])
    func model(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var model = Set<UInt64>()
        var bitmap = RowIndexBitmap()
        for _ in 0..<12_000 {
            // Even seeds cluster rows so that containers get dense enough to become bitmaps.
            let row = UInt64.random(in: 0..<(seed.isMultiple(of: 2) ? 100_000 : 1 << 34), using: &generator)
            let inserted = bitmap.insert(row)
            #expect(inserted == model.insert(row).inserted)
        }
        #expect(bitmap.count == model.count)
        #expect(Array(bitmap) == model.sorted())
        #expect(bitmap == RowIndexBitmap(model))
        let other = RowIndexBitmap((0..<2000).map { _ in UInt64.random(in: 0..<400_000, using: &generator) })
        #expect(Array(bitmap.union(other)) == model.union(other).sorted())
    }
}
