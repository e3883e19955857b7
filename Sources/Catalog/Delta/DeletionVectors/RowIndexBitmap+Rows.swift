extension RowIndexBitmap {
    /// Which of the first `rowCount` rows of a file are deleted.
    ///
    /// Row indexes at or beyond `rowCount` are ignored; a deletion vector holding one is not valid
    /// for the file, which a caller can check with ``largestRowIndex``.
    ///
    /// ```swift
    /// let deleted: RowIndexBitmap = [0, 3, 4]
    /// deleted.deletedMask(rowCount: 6)     // [true, false, false, true, true, false]
    /// ```
    ///
    /// - Parameter rowCount: The file's number of rows; zero or less gives an empty mask.
    /// - Returns: `rowCount` flags, `true` for a deleted row.
    /// - Complexity: O(*n* + *d*) for *n* rows and *d* deleted rows below `rowCount`.
    public func deletedMask(rowCount: Int) -> [Bool] {
        guard rowCount > 0 else { return [] }
        var mask = [Bool](repeating: false, count: rowCount)
        for (key, container) in zip(keys, containers) {
            // Keys are at most 2⁴⁷, so `base` cannot overflow.
            let base = Int(key << 16)
            if base >= rowCount { break }
            container.mark(in: &mask, base: base, limit: rowCount)
        }
        return mask
    }

    /// The rows of a file of `rowCount` rows that are not deleted: a selection vector.
    ///
    /// ```swift
    /// let deleted: RowIndexBitmap = [0, 3, 4]
    /// deleted.keptRowIndexes(rowCount: 6)  // [1, 2, 5]
    /// ```
    ///
    /// - Parameter rowCount: The file's number of rows; zero or less gives no rows.
    /// - Returns: The row indexes below `rowCount` that are not in the set, ascending.
    /// - Complexity: O(*n* + *d*) for *n* rows and *d* deleted rows below `rowCount`.
    public func keptRowIndexes(rowCount: Int) -> [Int] {
        let mask = deletedMask(rowCount: rowCount)
        var kept = [Int]()
        kept.reserveCapacity(Swift.max(0, rowCount - count))
        for row in mask.indices where !mask[row] { kept.append(row) }
        return kept
    }
}
