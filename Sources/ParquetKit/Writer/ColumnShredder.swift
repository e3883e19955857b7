import ColumnarCore

/// One leaf's share of a batch: definition and repetition levels (one per entry) and the
/// present values, densely (no nulls), ready to be encoded into pages.
struct ShreddedLeaf {
    /// Definition levels, or nil when the leaf's maximum is 0 (every entry present).
    var definition: [UInt16]?
    /// Repetition levels, or nil when the leaf is not below a list.
    var repetition: [UInt16]?
    /// The present values, in entry order.
    var values: Column
    /// The number of level entries.
    var entries: Int
}

/// Splits columns into leaves with Dremel definition and repetition levels (the inverse of
/// the reader's nested assembly).
enum ColumnShredder {
    /// Entries of one node: a position in the node's column, or -1 for an entry whose node is
    /// absent (with the definition level it reached), and the repetition level of each.
    struct Slots {
        var index: [Int32] = []
        var repetition: [UInt16] = []
        var definition: [UInt16] = []
    }

    /// The leaves of a top-level column, in schema order.
    static func shred(_ column: Column, field: Field) throws(ParquetError) -> [ShreddedLeaf] {
        var leaves: [ShreddedLeaf] = []
        if !field.dataType.isNested, case let nulls = column.nullCount, nulls == 0 || field.isNullable {
            // Flat fast path: the levels come straight from the validity bitmap.
            var definition: [UInt16]?
            if field.isNullable {
                // One look at the bitmap (not one enum dispatch per row).
                if let validity = column.validity {
                    definition = (0..<column.count).map { validity[$0] ? 1 : 0 }
                } else {
                    definition = [UInt16](repeating: 1, count: column.count)
                }
            }
            let dense = nulls == 0 ? column : try filterPresent(column)
            return [ShreddedLeaf(definition: definition, repetition: nil, values: dense, entries: column.count)]
        }
        var slots = Slots()
        slots.index = (0..<Int32(column.count)).map { $0 }
        slots.repetition = [UInt16](repeating: 0, count: column.count)
        slots.definition = [UInt16](repeating: 0, count: column.count)
        try shred(column, type: field.dataType, optional: field.isNullable, slots: slots, definition: 0, repetition: 0,
                  hasRepetition: false, name: field.name, into: &leaves)
        return leaves
    }

    static func filterPresent(_ column: Column) throws(ParquetError) -> Column {
        guard let validity = column.validity else { return column }
        do {
            return try Kernels.filter(column, BooleanColumn(values: validity))
        } catch {
            throw ParquetError(code: .internalError, message: "dropping nulls: \(error)")
        }
    }

    private static func shred(
        _ column: Column, type: DataType, optional: Bool, slots: Slots, definition ancestors: Int, repetition: Int,
        hasRepetition: Bool, name: String, into leaves: inout [ShreddedLeaf]
    ) throws(ParquetError) {
        let present = ancestors + (optional ? 1 : 0)
        // Which slots have this node present.
        var here = slots
        for s in 0..<here.index.count {
            let position = here.index[s]
            if position >= 0 && column.isNull(Int(position)) {
                // A required field may be null only where its parent is (those slots are absent).
                guard optional else {
                    throw ParquetError(code: .invalidArgument, message: "\(name) is declared NOT NULL but row \(position) is null")
                }
                here.index[s] = -1
                here.definition[s] = UInt16(ancestors)
            }
        }
        switch type {
        case .struct(let fields):
            guard case .struct(let structColumn) = column else { throw mismatch(name, type) }
            for (child, childColumn) in zip(fields, structColumn.children) {
                try shred(childColumn, type: child.dataType, optional: child.isNullable, slots: here, definition: present,
                          repetition: repetition, hasRepetition: hasRepetition, name: name + "." + child.name, into: &leaves)
            }
        case .list(var element), .fixedSizeList(var element, _):
            // As the schema lays a MAP out: a repeated key_value group (no optional level) whose
            // key is required.
            var childType = element.dataType
            if element.metadata[NestedAssembler.mapMarker] == "true", case .struct(var pair) = element.dataType, pair.count == 2 {
                element.isNullable = false
                pair[0].isNullable = false
                childType = .struct(pair)
            }
            let (offsets, child) = try listParts(column, name: name)
            var inner = Slots()
            let elementRepetition = repetition + 1
            for s in 0..<here.index.count {
                let position = here.index[s]
                guard position >= 0 else {
                    inner.index.append(-1)
                    inner.repetition.append(here.repetition[s])
                    inner.definition.append(here.definition[s])
                    continue
                }
                let start = Int(offsets[Int(position)])
                let end = Int(offsets[Int(position) + 1])
                if start == end {
                    // An empty list: defined up to the list node, no repeated entry.
                    inner.index.append(-1)
                    inner.repetition.append(here.repetition[s])
                    inner.definition.append(UInt16(present))
                    continue
                }
                for k in start..<end {
                    inner.index.append(Int32(k))
                    inner.repetition.append(k == start ? here.repetition[s] : UInt16(elementRepetition))
                    inner.definition.append(0)
                }
            }
            // The repeated group adds one definition level; the element may add another.
            try shred(child, type: childType, optional: element.isNullable, slots: inner, definition: present + 1,
                      repetition: elementRepetition, hasRepetition: true, name: name + ".element", into: &leaves)
        default:
            var definitions: [UInt16] = []
            definitions.reserveCapacity(here.index.count)
            var positions: [UInt32] = []
            positions.reserveCapacity(here.index.count)
            for s in 0..<here.index.count {
                let position = here.index[s]
                if position >= 0 {
                    definitions.append(UInt16(present))
                    positions.append(UInt32(position))
                } else {
                    definitions.append(here.definition[s])
                }
            }
            let values: Column
            do {
                values = try Kernels.take(column, SelectionVector(positions))
            } catch {
                throw ParquetError(code: .internalError, message: "gathering \(name): \(error)")
            }
            leaves.append(ShreddedLeaf(
                definition: present > 0 ? definitions : nil, repetition: hasRepetition ? here.repetition : nil,
                values: values, entries: here.index.count))
        }
    }

    /// A list column's offsets and child (a fixed-size list's implied offsets and its floats).
    static func listParts(_ column: Column, name: String) throws(ParquetError) -> (ValueBuffer<Int32>, Column) {
        switch column {
        case .list(let list): return (list.offsets, list.child)
        case .fixedSizeList(let fixed):
            let offsets = ValueBuffer<Int32>(unsafeUninitializedCount: fixed.count + 1) { out in
                for i in 0...fixed.count { out[i] = Int32(i * fixed.size) }
            }
            return (offsets, .float32(PrimitiveColumn(values: fixed.values)))
        default:
            throw mismatch(name, column.dataType)
        }
    }

    static func mismatch(_ name: String, _ type: DataType) -> ParquetError {
        ParquetError(code: .invalidArgument, message: "column \(name) does not hold \(type) values")
    }
}
