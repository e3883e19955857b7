/// Group ids for one key column without a separate hash pass: integer-like keys live in the
/// table slots themselves (one memory access per probe), strings keep their hash and
/// representative row in the slot so most mismatches never touch the bytes.
func _groupSingleColumn(_ column: Column) throws -> GroupIDs? {
    struct Visitor: PrimitiveColumnVisitor {
        func visit<T: FixedWidthValue>(_ c: PrimitiveColumn<T>) -> GroupIDs? {
            (c as? any _DirectGroupable)?._groupIDs() ?? nil
        }
    }
    if let result = try column.visitPrimitive(Visitor()) ?? nil { return result }
    switch column {
    case .utf8(let c), .binary(let c): return _groupBinary(c)
    case .dictionary:
        guard case .utf8(let plain) = Kernels.decodeDictionary(column) else { return nil }
        return _groupBinary(plain)
    default: return nil
    }
}

protocol _DirectGroupable {
    /// The groups, or `nil` when the key type needs the general path.
    func _groupIDs() -> GroupIDs?
}

extension PrimitiveColumn: _DirectGroupable where Value: _HashableBits {
    func _groupIDs() -> GroupIDs? { Value._hashBitsAreInjective ? _groupPrimitive(self) : nil }
}

/// An open-addressed table of 16-byte slots, grown at 70% full. `group == 0` marks an empty slot;
/// stored groups are offset by one. `payload` is the key itself (fixed-width keys) or the hash
/// (strings), and `row` the group's first row.
struct _SlotTable {
    struct Slot {
        var payload: UInt64
        var group: UInt32
        var row: UInt32
    }
    private(set) var slots: UnsafeMutableBufferPointer<Slot>
    private(set) var mask: Int
    private(set) var used = 0

    init(expectedGroups: Int) {
        var capacity = 64
        while capacity < expectedGroups * 2 { capacity <<= 1 }
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(payload: 0, group: 0, row: 0))
        mask = capacity - 1
    }

    func deallocate() { slots.deallocate() }

    /// Linear probing stays short up to about 70% occupancy.
    var needsGrowth: Bool { used &* 10 >= slots.count &* 7 }

    /// Doubles the table; `hashOf` recomputes a slot's position from its payload.
    mutating func grow(_ hashOf: (Slot) -> UInt64) {
        let old = slots
        let capacity = old.count * 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(payload: 0, group: 0, row: 0))
        mask = capacity - 1
        for slot in old where slot.group != 0 {
            var position = Int(truncatingIfNeeded: hashOf(slot)) & mask
            while slots[position].group != 0 { position = (position + 1) & mask }
            slots[position] = slot
        }
        old.deallocate()
    }

    /// Puts a new group in an empty slot found by probing.
    mutating func insert(at position: Int, _ slot: Slot) {
        slots[position] = slot
        used += 1
    }
}

func _groupPrimitive<T: _HashableBits>(_ c: PrimitiveColumn<T>) -> GroupIDs {
    let count = c.count
    var table = _SlotTable(expectedGroups: min(count, 1 << 15))
    defer { table.deallocate() }
    var representatives: [UInt32] = []
    var nullGroup: UInt32? = nil
    let ids = c.values.withUnsafeBufferPointer { v in
        ValueBuffer<UInt32>(unsafeUninitializedCount: count) { out in
            for i in 0..<count {
                if let validity = c.validity, !validity._bit(i) {
                    if nullGroup == nil {
                        nullGroup = UInt32(representatives.count)
                        representatives.append(UInt32(truncatingIfNeeded: i))
                    }
                    out[i] = nullGroup!
                    continue
                }
                if table.needsGrowth { table.grow { _mix64($0.payload) } }
                let key = v[i]._hashBits
                var position = Int(truncatingIfNeeded: _mix64(key)) & table.mask
                while true {
                    let slot = table.slots[position]
                    if slot.group == 0 {
                        let group = UInt32(representatives.count)
                        representatives.append(UInt32(truncatingIfNeeded: i))
                        table.insert(at: position, .init(payload: key, group: group &+ 1, row: UInt32(truncatingIfNeeded: i)))
                        out[i] = group
                        break
                    }
                    if slot.payload == key {
                        out[i] = slot.group &- 1
                        break
                    }
                    position = (position + 1) & table.mask
                }
            }
        }
    }
    return GroupIDs(ids: ids, representatives: ValueBuffer(representatives))
}

func _groupBinary(_ c: BinaryColumn) -> GroupIDs {
    let count = c.count
    var table = _SlotTable(expectedGroups: min(count, 1 << 15))
    defer { table.deallocate() }
    var representatives: [UInt32] = []
    var nullGroup: UInt32? = nil
    let hashes = (try? Kernels.hash([.binary(c)])) ?? ValueBuffer()
    let ids = c._withBuffers { offsets, bytes in
        hashes.withUnsafeBufferPointer { h in
            ValueBuffer<UInt32>(unsafeUninitializedCount: count) { out in
                for i in 0..<count {
                    if let validity = c.validity, !validity._bit(i) {
                        if nullGroup == nil {
                            nullGroup = UInt32(representatives.count)
                            representatives.append(UInt32(truncatingIfNeeded: i))
                        }
                        out[i] = nullGroup!
                        continue
                    }
                    if table.needsGrowth { table.grow { $0.payload } }
                    let hash = h[i]
                    let start = Int(offsets[i])
                    let length = Int(offsets[i + 1]) - start
                    var position = Int(truncatingIfNeeded: hash) & table.mask
                    while true {
                        let slot = table.slots[position]
                        if slot.group == 0 {
                            let group = UInt32(representatives.count)
                            representatives.append(UInt32(truncatingIfNeeded: i))
                            table.insert(at: position, .init(payload: hash, group: group &+ 1, row: UInt32(truncatingIfNeeded: i)))
                            out[i] = group
                            break
                        }
                        if slot.payload == hash {
                            let other = Int(slot.row)
                            let otherStart = Int(offsets[other])
                            let otherLength = Int(offsets[other + 1]) - otherStart
                            if length == otherLength && _compareBytes(bytes + start, length, bytes + otherStart, length) == 0 {
                                out[i] = slot.group &- 1
                                break
                            }
                        }
                        position = (position + 1) & table.mask
                    }
                }
            }
        }
    }
    return GroupIDs(ids: ids, representatives: ValueBuffer(representatives))
}
