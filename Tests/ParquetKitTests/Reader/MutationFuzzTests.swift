import Foundation
import ParquetKit
import Testing

/// A bounded, deterministic, in-process mutation fuzzer over the corpus's sound files: bytes are
/// flipped, overwritten with edge values or cut out, and every mutant is read in full. Any trap
/// kills the test process; the input being read is always at `currentInputPath`, so it can be
/// kept as a regression file under TestData/.
@Suite struct MutationFuzzTests {
    static let currentInputPath = FileManager.default.temporaryDirectory.appendingPathComponent("lakehouse-fuzz-current.parquet").path

    @Test("2,000 mutants of sound corpus files read or throw typed errors, never trap")
    func mutants() throws {
        let entries = try ParquetCorpus.entries().filter { $0.tier < 4 }
        var sources: [[UInt8]] = []
        for entry in entries {
            let data = try Data(contentsOf: URL(fileURLWithPath: ParquetCorpus.path(entry)))
            if data.count < 200_000 { sources.append([UInt8](data)) }
        }
        #expect(sources.count > 50)
        var random = SplitMix64(seed: 20_261_125)
        var outcomes: [String: Int] = [:]
        for _ in 0..<2_000 {
            var bytes = sources[Int(random.next() % UInt64(sources.count))]
            for _ in 0..<(Int(random.next() % 8) + 1) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[at] ^= UInt8(1 << (random.next() % 8))
                case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 2: bytes[at] = [0, 0xFF, 0x7F, 0x80][Int(random.next() % 4)]
                default: if bytes.count > 16 { bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 16) + 1)) }
                }
            }
            _ = FileManager.default.createFile(atPath: Self.currentInputPath, contents: Data(bytes))
            do {
                let reader = try ParquetFileReader(source: MemoryByteSource(bytes, name: "mutant"))
                _ = try reader.readRowGroups()
                outcomes["read", default: 0] += 1
            } catch {
                outcomes[error.code.description, default: 0] += 1
            }
        }
        print("mutants: " + outcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        #expect(outcomes.values.reduce(0, +) == 2_000)
    }
}
