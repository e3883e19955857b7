import Foundation
import ParquetKit
import Testing

@Suite struct PageIndexTests {
    @Test("offset indexes point at the data pages the headers walk finds, with increasing first rows")
    func offsetIndexesAgreeWithPages() throws {
        var checkedChunks = 0
        for entry in try ParquetCorpus.entries() where entry.tier < 4 {
            let source = try LocalFileByteSource(path: ParquetCorpus.path(entry))
            let reader = try ParquetFileReader(source: source)
            for (group, rowGroup) in reader.metadata.rowGroups.enumerated() {
                for (column, chunk) in rowGroup.columns.enumerated() {
                    guard let locations = try reader.offsetIndex(rowGroup: group, column: column) else { continue }
                    let pages = try ParquetFooter.pageHeaders(of: chunk, in: source, rowGroup: group)
                        .filter { $0.header.type == .dataPage || $0.header.type == .dataPageV2 }
                    #expect(locations.map { Int($0.offset) } == pages.map(\.offset), "\(entry.file) \(chunk.pathInSchema)")
                    #expect(locations.first?.firstRowIndex == 0, "\(entry.file)")
                    #expect(zip(locations, locations.dropFirst()).allSatisfy { $0.firstRowIndex < $1.firstRowIndex }, "\(entry.file)")
                    if let index = try reader.columnIndex(rowGroup: group, column: column) {
                        #expect(index.nullPages.count == locations.count, "\(entry.file) \(chunk.pathInSchema)")
                    }
                    checkedChunks += 1
                }
            }
        }
        print("page indexes checked: \(checkedChunks) column chunks")
        #expect(checkedChunks > 20)
    }
}
