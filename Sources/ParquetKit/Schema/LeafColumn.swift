import ColumnarCore

/// One leaf (primitive) column of a Parquet schema with the levels that locate its values.
public struct LeafColumn: Sendable {
    /// Names from the root's child down to the leaf, e.g. `["address", "city"]`.
    public var path: [String]
    /// The leaf's schema element (physical type, annotations).
    public var element: SchemaElement
    /// The definition level of a present value: optional and repeated ancestors (and the leaf).
    public var maxDefinitionLevel: Int
    /// The repetition level of a value's deepest list: the number of repeated ancestors.
    public var maxRepetitionLevel: Int
    /// The indices, from the root's child down, of the schema elements on the path.
    public var elementIndices: [Int]
    /// How an INT96 leaf is read (see ``ParquetReadOptions/int96``).
    public var int96: ParquetReadOptions.Int96Representation = .timestamp(.nanosecond)

    /// The leaves of a flattened schema tree, in the order column chunks follow.
    ///
    /// - Throws: ``ParquetError`` `.corruptFile` when child counts do not fit the element list or
    ///   a leaf lacks a physical type.
    public static func leaves(of schema: [SchemaElement]) throws(ParquetError) -> [LeafColumn] {
        guard let root = schema.first else { throw ParquetError(code: .corruptFile, message: "the schema has no root element") }
        var leaves: [LeafColumn] = []
        var next = 1
        // Iterative depth-first walk (no recursion: a hostile tree cannot exhaust the stack).
        struct Frame {
            var remaining: Int
            var path: [String]
            var indices: [Int]
            var definition: Int
            var repetition: Int
        }
        var stack = [Frame(remaining: Int(root.numChildren ?? 0), path: [], indices: [], definition: 0, repetition: 0)]
        guard stack[0].remaining >= 0 else { throw ParquetError(code: .corruptFile, message: "negative child count at the root") }
        while let top = stack.last {
            if top.remaining == 0 {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].remaining -= 1
            guard next < schema.count else {
                throw ParquetError(code: .corruptFile, message: "the schema declares more children than its \(schema.count) elements")
            }
            let index = next
            let element = schema[index]
            next += 1
            var definition = top.definition
            var repetition = top.repetition
            switch element.repetition {
            case .optional?: definition += 1
            case .repeated?:
                definition += 1
                repetition += 1
            default: break
            }
            let children = Int(element.numChildren ?? 0)
            guard children >= 0 else { throw ParquetError(code: .corruptFile, message: "negative child count on \(element.name)") }
            if children > 0 {
                guard stack.count < 256 else { throw ParquetError(code: .corruptFile, message: "schema nested deeper than 256 levels") }
                stack.append(Frame(remaining: children, path: top.path + [element.name], indices: top.indices + [index],
                                   definition: definition, repetition: repetition))
            } else {
                guard element.type != nil else {
                    throw ParquetError(code: .corruptFile, message: "leaf \(element.name) has no physical type")
                }
                leaves.append(LeafColumn(path: top.path + [element.name], element: element, maxDefinitionLevel: definition,
                                         maxRepetitionLevel: repetition, elementIndices: top.indices + [index]))
            }
        }
        return leaves
    }
}
