import ColumnarCore

/// A node of the schema tree with the levels that locate its instances.
struct SchemaNode: Sendable {
    let element: SchemaElement
    let children: [SchemaNode]
    /// The definition level of an entry in which this node is present.
    let definitionLevel: Int
    /// The number of repeated nodes from the root down to this one, inclusive.
    let repetitionLevel: Int
    /// Indices into the file's leaf columns of the leaves below (or at) this node.
    let leaves: [Int]

    /// This node keeping only the branches named by `paths` (child names from here down; an
    /// empty path keeps everything below).
    ///
    /// - Throws: ``ParquetError`` `.invalidArgument` naming the first path that does not exist.
    func pruned(to paths: [[String]], file: String, prefix: [String] = []) throws(ParquetError) -> SchemaNode {
        if paths.contains(where: \.isEmpty) { return self }
        var kept: [SchemaNode] = []
        for child in children {
            let below = paths.filter { $0[0] == child.element.name }.map { Array($0.dropFirst()) }
            if !below.isEmpty { kept.append(try child.pruned(to: below, file: file, prefix: prefix + [element.name])) }
        }
        for path in paths where !children.contains(where: { $0.element.name == path[0] }) {
            let here = (prefix + [element.name]).joined(separator: ".")
            throw ParquetError(code: .invalidArgument,
                               message: "no field \(path[0]) in \(here); its fields are \(children.map(\.element.name).joined(separator: ", "))",
                               context: .init(filePath: file))
        }
        var element = self.element
        element.numChildren = Int32(kept.count)
        return SchemaNode(element: element, children: kept, definitionLevel: definitionLevel, repetitionLevel: repetitionLevel,
                          leaves: kept.flatMap(\.leaves))
    }

    var isRepeated: Bool { element.repetition == .repeated }
    var isLeaf: Bool { children.isEmpty && element.type != nil }

    /// The tree below the root of a flattened schema (iterative; bounded depth).
    static func tree(_ schema: [SchemaElement]) throws(ParquetError) -> [SchemaNode] {
        var next = 1
        var leafCounter = 0
        func build(parentDefinition: Int, parentRepetition: Int, depth: Int) throws(ParquetError) -> SchemaNode {
            guard depth < 128 else { throw ParquetError(code: .corruptFile, message: "schema nested deeper than 128 levels") }
            guard next < schema.count else { throw ParquetError(code: .corruptFile, message: "the schema declares more children than it has elements") }
            let element = schema[next]
            next += 1
            var definition = parentDefinition
            var repetition = parentRepetition
            if element.repetition == .optional { definition += 1 }
            if element.repetition == .repeated { definition += 1; repetition += 1 }
            var children: [SchemaNode] = []
            let count = Int(element.numChildren ?? 0)
            guard count >= 0 else { throw ParquetError(code: .corruptFile, message: "negative child count on \(element.name)") }
            for _ in 0..<count {
                children.append(try build(parentDefinition: definition, parentRepetition: repetition, depth: depth + 1))
            }
            var leaves: [Int] = []
            if count == 0 {
                leaves = [leafCounter]
                leafCounter += 1
            } else {
                leaves = children.flatMap(\.leaves)
            }
            return SchemaNode(element: element, children: children, definitionLevel: definition, repetitionLevel: repetition, leaves: leaves)
        }
        var roots: [SchemaNode] = []
        for _ in 0..<Int(schema.first?.numChildren ?? 0) {
            roots.append(try build(parentDefinition: 0, parentRepetition: 0, depth: 0))
        }
        return roots
    }

    /// Whether this group is a LIST (or legacy list) annotation.
    var isListAnnotated: Bool {
        element.logicalType == .list || element.convertedType == ConvertedType(rawValue: 3)
    }

    /// Whether this group is a MAP annotation.
    var isMapAnnotated: Bool {
        // MAP_KEY_VALUE marks the map itself in some legacy files, but the repeated key/value
        // group in others: only a non-repeated node can be the map.
        element.logicalType == .map || element.convertedType == ConvertedType(rawValue: 1)
            || (element.convertedType == ConvertedType(rawValue: 2) && !isRepeated)
    }
}

/// Rebuilds nested columns from leaf levels (the Dremel record assembly): lists from repetition
/// levels, nulls and empty lists from definition levels, structs from their children.
struct NestedAssembler {
    /// Element-field metadata that marks a list of key/value structs as a Parquet MAP.
    static let mapMarker = "parquet.map"

    let leaves: [LeafColumn]
    let levels: [Int: LeafLevels]
    let context: ParquetError.Context

    func corrupt(_ message: String) -> ParquetError {
        ParquetError(code: .corruptFile, message: "nested assembly: " + message, context: context)
    }

    /// The ColumnarCore type of a node.
    func type(of node: SchemaNode) throws(ParquetError) -> DataType {
        if node.isLeaf && !node.isRepeated { return try leaves[node.leaves[0]].columnarType() }
        if node.isRepeated { return .list(try elementField(ofRepeated: node)) }
        if node.isListAnnotated || node.isMapAnnotated { return try listType(node) }
        return .struct(try node.children.map { (child) throws(ParquetError) -> Field in
            Field(child.element.name, try type(of: child), nullable: child.element.repetition != .required, metadata: child.element.annotationMetadata)
        })
    }

    /// The type of a LIST- or MAP-annotated group.
    func listType(_ node: SchemaNode) throws(ParquetError) -> DataType {
        guard node.children.count == 1, node.children[0].isRepeated else {
            throw ParquetError(code: .unsupportedFeature, message: "\(node.element.name): a LIST or MAP without one repeated child", context: context)
        }
        let repeated = node.children[0]
        if let element = listElement(repeated, of: node) {
            return .list(Field(element.element.name, try type(of: element), nullable: element.element.repetition == .optional))
        }
        var field = try elementField(ofRepeated: repeated)
        if node.isMapAnnotated { field.metadata[NestedAssembler.mapMarker] = "true" }
        return .list(field)
    }

    /// The element node below a list's repeated node, or nil when the repeated node is the
    /// element itself. A MAP whose key/value group has only a key is a list of keys.
    func listElement(_ repeated: SchemaNode, of node: SchemaNode) -> SchemaNode? {
        if node.isMapAnnotated { return repeated.children.count == 1 && !repeated.isLeaf ? repeated.children[0] : nil }
        return threeLevelElement(repeated, list: node)
    }

    /// The element of a 3-level list, or nil for the legacy 2-level forms (the repeated node is
    /// itself the element): a repeated group with one child that is not named `array` or
    /// `<list>_tuple`.
    func threeLevelElement(_ repeated: SchemaNode, list: SchemaNode) -> SchemaNode? {
        guard !repeated.isLeaf, repeated.children.count == 1 else { return nil }
        let name = repeated.element.name
        if name == "array" || name == list.element.name + "_tuple" { return nil }
        return repeated.children[0]
    }

    /// A repeated node seen as the element of a list: a required value or struct.
    func elementField(ofRepeated node: SchemaNode) throws(ParquetError) -> Field {
        if !node.isLeaf && (node.isListAnnotated || node.isMapAnnotated) {
            return Field(node.element.name, try listType(node), nullable: false)
        }
        if node.isLeaf { return Field(node.element.name, try leaves[node.leaves[0]].columnarType(), nullable: false) }
        return Field(node.element.name, .struct(try node.children.map { (child) throws(ParquetError) -> Field in
            Field(child.element.name, try type(of: child), nullable: child.element.repetition != .required, metadata: child.element.annotationMetadata)
        }), nullable: false)
    }

    /// The slots of a node in the entry space of `leaf`: runs of entries split where the
    /// repetition level is at most `contextRepetition`, kept when the run's first entry reaches
    /// `contextDefinition` (its enclosing list element exists).
    func slots(_ leaf: LeafLevels, contextRepetition: Int, contextDefinition: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let count = leaf.definition.count
        var start = 0
        while start < count {
            var end = start + 1
            while end < count && Int(leaf.repetition[end]) > contextRepetition { end += 1 }
            if Int(leaf.definition[start]) >= contextDefinition { result.append(start..<end) }
            start = end
        }
        return result
    }

    func levels(of node: SchemaNode) throws(ParquetError) -> LeafLevels {
        guard let first = node.leaves.first, let found = levels[first] else { throw corrupt("no levels for \(node.element.name)") }
        return found
    }

    /// Builds a node's column. `asElement` treats a repeated node as one element of its list.
    func build(_ node: SchemaNode, contextRepetition: Int, contextDefinition: Int, asElement: Bool = false) throws(ParquetError) -> Column {
        let leafLevels = try levels(of: node)
        let slots = slots(leafLevels, contextRepetition: contextRepetition, contextDefinition: contextDefinition)
        if node.isRepeated && !asElement {
            // An unannotated repeated field: a never-null list of required elements.
            return try list(node, repeated: node, element: nil, slots: slots, levels: leafLevels, nullable: false)
        }
        if node.isLeaf {
            // The slots whose entry reaches the leaf's maximum level hold the next values in
            // order; the rest are null.
            let leaf = leaves[node.leaves[0]]
            let values = leafLevels.values
            var validity = BitmapBuilder(capacity: slots.count)
            var present = 0
            for slot in slots {
                let isPresent = Int(leafLevels.definition[slot.lowerBound]) == leaf.maxDefinitionLevel
                validity.append(isPresent)
                if isPresent { present += 1 }
            }
            guard present <= values.count else { throw corrupt("more present entries than values in \(leaf.path.joined(separator: "."))") }
            do {
                return try Kernels.scatter(values.slice(0..<present), validity: validity.finish())
            } catch {
                throw corrupt("\(error)")
            }
        }
        if node.isListAnnotated || node.isMapAnnotated {
            guard node.children.count == 1, node.children[0].isRepeated else {
                throw ParquetError(code: .unsupportedFeature, message: "\(node.element.name): a LIST or MAP without one repeated child", context: context)
            }
            let repeated = node.children[0]
            // As the element of an outer list, a repeated LIST group is a list that is never null.
            return try list(node, repeated: repeated, element: listElement(repeated, of: node), slots: slots, levels: leafLevels, nullable: !asElement)
        }
        // A struct (or a repeated group seen as an element).
        var validity = BitmapBuilder(capacity: slots.count)
        for slot in slots { validity.append(Int(leafLevels.definition[slot.lowerBound]) >= node.definitionLevel) }
        let childRepetition = asElement ? node.repetitionLevel : contextRepetition
        let childDefinition = asElement ? node.definitionLevel : contextDefinition
        var children: [Column] = []
        var fields: [Field] = []
        for child in node.children {
            let column = try build(child, contextRepetition: childRepetition, contextDefinition: childDefinition)
            guard column.count == slots.count else {
                throw corrupt("child \(child.element.name) has \(column.count) entries for \(slots.count) in \(node.element.name)")
            }
            children.append(column)
            fields.append(Field(child.element.name, column.dataType, nullable: child.element.repetition != .required))
        }
        let bits = validity.finish()
        do {
            return .struct(try StructColumn(fields: fields, children: children, validity: bits.allSet ? nil : bits, count: slots.count))
        } catch {
            throw corrupt("\(error)")
        }
    }

    /// A list column: offsets from the repetition levels of each slot's entries.
    func list(_ node: SchemaNode, repeated: SchemaNode, element: SchemaNode?, slots: [Range<Int>], levels: LeafLevels, nullable: Bool) throws(ParquetError) -> Column {
        var offsets: [Int32] = [0]
        var validity = BitmapBuilder(capacity: slots.count)
        var total = 0
        for slot in slots {
            let definition = Int(levels.definition[slot.lowerBound])
            let present = !nullable || definition >= node.definitionLevel
            validity.append(present)
            if definition >= repeated.definitionLevel {
                var elements = 1
                for entry in slot.dropFirst() where Int(levels.repetition[entry]) == repeated.repetitionLevel { elements += 1 }
                total += elements
            }
            guard total <= Int(Int32.max) else { throw corrupt("list offsets exceed 32 bits") }
            offsets.append(Int32(total))
        }
        let child: Column
        let field: Field
        if let element {
            child = try build(element, contextRepetition: repeated.repetitionLevel, contextDefinition: repeated.definitionLevel)
            field = Field(element.element.name, child.dataType, nullable: element.element.repetition == .optional)
        } else if !repeated.isLeaf && (repeated.isListAnnotated || repeated.isMapAnnotated) {
            child = try build(repeated, contextRepetition: repeated.repetitionLevel, contextDefinition: repeated.definitionLevel, asElement: true)
            field = Field(repeated.element.name, child.dataType, nullable: false)
        } else {
            child = try build(repeated, contextRepetition: repeated.repetitionLevel, contextDefinition: repeated.definitionLevel, asElement: true)
            field = Field(repeated.element.name, child.dataType, nullable: false,
                          metadata: node.isMapAnnotated ? [NestedAssembler.mapMarker: "true"] : [:])
        }
        guard child.count == total else { throw corrupt("\(node.element.name) has \(child.count) elements where the levels count \(total)") }
        let bits = validity.finish()
        return .list(ListColumn(element: field, offsets: ValueBuffer(offsets), child: child, validity: bits.allSet ? nil : bits))
    }
}
