import ColumnarCore

extension ParquetFileReader {
    /// The rows of a row group that may match `predicate` according to the page index: each
    /// page of a predicate column whose bounds allow a match contributes its rows. `nil` when a
    /// predicate column has no page index (every row may match). Ranges are sorted and merged.
    ///
    /// - Throws: ``ParquetError`` for an unknown column or a corrupt index.
    public func rowRanges(matching predicate: ParquetPredicate, rowGroup: Int) throws(ParquetError) -> [Range<Int>]? {
        let rows = Int(clamping: metadata.rowGroups[rowGroup].numRows)
        switch predicate {
        case .and(let parts):
            var result: [Range<Int>]? = nil
            for part in parts {
                guard let ranges = try rowRanges(matching: part, rowGroup: rowGroup) else { continue }
                result = result.map { _intersect($0, ranges) } ?? ranges
            }
            return result
        case .or(let parts):
            var union: [Range<Int>] = []
            for part in parts {
                guard let ranges = try rowRanges(matching: part, rowGroup: rowGroup) else { return nil }
                union = _merge(union + ranges)
            }
            return union
        case .compare(let name, _, _), .isNull(let name), .isNotNull(let name), .inList(let name, _):
            guard let column = leaves.firstIndex(where: { $0.path == [name] }) else {
                throw ParquetError(code: .invalidArgument, message: "no flat column \(name) to prune on", context: .init(filePath: source.name))
            }
            guard let locations = try offsetIndex(rowGroup: rowGroup, column: column),
                  let index = try columnIndex(rowGroup: rowGroup, column: column),
                  index.nullPages.count == locations.count else { return nil }
            var kept: [Range<Int>] = []
            for page in locations.indices {
                let start = Int(clamping: locations[page].firstRowIndex)
                let end = page + 1 < locations.count ? Int(clamping: locations[page + 1].firstRowIndex) : rows
                guard start < end else { continue }
                // Page statistics in the shape of chunk statistics, reusing the row-group logic.
                var stats = ColumnStatistics()
                stats.nullCount = index.nullCounts?[page]
                if index.nullPages[page] {
                    stats.nullCount = Int64(end - start)
                } else {
                    stats.minValue = index.minValues[page]
                    stats.maxValue = index.maxValues[page]
                }
                if try mayMatch(predicate, statistics: stats, rows: Int64(end - start), leaf: leaves[column]) {
                    kept.append(start..<end)
                }
            }
            return _merge(kept)
        }
    }

    /// Reads the rows of one row group that the page index cannot rule out for `predicate`:
    /// only the overlapping pages of each column are decompressed and decoded. The batch is a
    /// superset of the matching rows (apply the filter afterwards); nil ranges read everything.
    public func readRowGroup(_ index: Int, columns names: [String]? = nil, pruningPagesBy predicate: ParquetPredicate) throws(ParquetError) -> RecordBatch {
        guard metadata.rowGroups.indices.contains(index) else {
            throw ParquetError(code: .invalidArgument, message: "row group \(index) of \(metadata.rowGroups.count)", context: .init(filePath: source.name))
        }
        guard let ranges = try rowRanges(matching: predicate, rowGroup: index) else {
            return try readRowGroup(index, columns: names)
        }
        let selected = try projection(names)
        let wanted = ranges.flatMap { $0 }
        var columns: [Column] = []
        for projected in selected {
            let node = projected.node
            let context = ParquetError.Context(filePath: source.name, rowGroup: index, columnPath: [node.element.name])
            var column: Column
            var decodedRows: [Range<Int>]
            let leafIndex = node.leaves[0]
            if isFlat(node), let locations = try offsetIndex(rowGroup: index, column: leafIndex) {
                // Decode only the pages that overlap the wanted rows.
                let rows = Int(clamping: metadata.rowGroups[index].numRows)
                var pages = Set<Int>()
                decodedRows = []
                for page in locations.indices {
                    let start = Int(clamping: locations[page].firstRowIndex)
                    let end = page + 1 < locations.count ? Int(clamping: locations[page + 1].firstRowIndex) : rows
                    if ranges.contains(where: { $0.overlaps(start..<end) }) {
                        pages.insert(page)
                        decodedRows.append(start..<end)
                    }
                }
                let chunk = metadata.rowGroups[index].columns[leafIndex]
                var chunkContext = context
                chunkContext.byteOffset = Int(clamping: chunk.startOffset)
                var reader = ColumnChunkReader(leaf: leaves[leafIndex], chunk: chunk, context: chunkContext, dataEnd: dataEnd)
                reader.keepDictionaries = options.keepDictionaries
                reader.selectedDataPages = pages
                column = try reader.read(from: source)
            } else {
                column = try readRowGroups([index], projection: [projected], parallel: false)[0].columns[0]
                decodedRows = [0..<column.count]
            }
            // Positions of the wanted rows within the decoded rows.
            var positions: [UInt32] = []
            var base = 0
            var cursor = 0
            for range in decodedRows {
                while cursor < wanted.count && wanted[cursor] < range.lowerBound { cursor += 1 }
                while cursor < wanted.count && wanted[cursor] < range.upperBound {
                    positions.append(UInt32(base + wanted[cursor] - range.lowerBound))
                    cursor += 1
                }
                base += range.count
            }
            guard base == column.count else {
                throw ParquetError(code: .corruptFile, message: "pages hold \(column.count) rows where the offset index says \(base)", context: context)
            }
            do {
                columns.append(try Kernels.take(column, SelectionVector(positions)))
            } catch {
                throw ParquetError(code: .internalError, message: "row selection: \(error)", context: context)
            }
        }
        do {
            return try RecordBatch(schema: Schema(selected.map(\.field), metadata: schemaMetadata), columns: columns, count: wanted.count)
        } catch {
            throw ParquetError(code: .corruptFile, message: "pruned columns disagree: \(error)", context: .init(filePath: source.name, rowGroup: index))
        }
    }
}

/// Sorted, non-overlapping union of ranges.
func _merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
        if let last = result.last, range.lowerBound <= last.upperBound {
            result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
        } else {
            result.append(range)
        }
    }
    return result
}

/// Intersection of two sorted, merged range lists.
func _intersect(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
        let low = max(a[i].lowerBound, b[j].lowerBound)
        let high = min(a[i].upperBound, b[j].upperBound)
        if low < high { result.append(low..<high) }
        if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
    }
    return result
}
