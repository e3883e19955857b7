import ColumnarCore

/// A small regular-expression engine for `regexp_matches`: RE2-style syntax for the common
/// subset (literals, `.`, classes `[...]` with ranges and negation, `\d \w \s` and their
/// negations, `\b`, anchors `^ $`, `* + ? {n} {n,} {n,m}` (lazy forms accepted), alternation,
/// capturing and `(?:…)` groups), compiled to an NFA program and run as a Pike VM over the
/// Unicode scalars of UTF-8 bytes: linear in the text, no backtracking blow-ups.
///
/// Back-references, look-around, inline flags and named classes throw `.unsupported`.
struct _RegexProgram {
    enum Op {
        case scalar(UInt32)
        case any
        case set([ClosedRange<UInt32>], negated: Bool)
        case split(Int, Int)
        case jump(Int)
        case textStart
        case textEnd
        case wordBoundary(Bool)
        case match
    }

    private(set) var ops: [Op] = []

    init(_ pattern: String, caseInsensitive: Bool = false) throws(SQLError) {
        var parser = _RegexParser(Array(pattern.unicodeScalars).map(\.value), caseInsensitive: caseInsensitive)
        let node = try parser.parse()
        try emit(node)
        ops.append(.match)
    }

    private mutating func emit(_ node: _RegexNode) throws(SQLError) {
        guard ops.count < 20_000 else { throw SQLError(.unsupported, "regular expression is too large") }
        switch node {
        case .empty: break
        case .scalar(let s): ops.append(.scalar(s))
        case .any: ops.append(.any)
        case .set(let ranges, let negated): ops.append(.set(ranges, negated: negated))
        case .textStart: ops.append(.textStart)
        case .textEnd: ops.append(.textEnd)
        case .wordBoundary(let b): ops.append(.wordBoundary(b))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternate(let items):
            var jumps: [Int] = []
            for (index, item) in items.enumerated() {
                if index < items.count - 1 {
                    let split = ops.count
                    ops.append(.split(split + 1, -1))
                    try emit(item)
                    jumps.append(ops.count)
                    ops.append(.jump(-1))
                    ops[split] = .split(split + 1, ops.count)
                } else {
                    try emit(item)
                }
            }
            for j in jumps { ops[j] = .jump(ops.count) }
        case .repeated(let item, let min, let max):
            for _ in 0..<min { try emit(item) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(ops.count)
                    ops.append(.split(ops.count + 1, -1))
                    try emit(item)
                }
                for s in splits { ops[s] = .split(s + 1, ops.count) }
            } else {
                let loop = ops.count
                ops.append(.split(loop + 1, -1))
                try emit(item)
                ops.append(.jump(loop))
                ops[loop] = .split(loop + 1, ops.count)
            }
        }
    }

    /// Whether the expression matches anywhere in `text`.
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var current: [Int] = []
        var next: [Int] = []
        var marks = [Int](repeating: -1, count: ops.count)
        var stack: [Int] = []
        var generation = 0
        var position = 0
        var previous: UInt32? = nil
        current.reserveCapacity(ops.count)
        next.reserveCapacity(ops.count)
        while true {
            let scalar: UInt32?
            let after: Int
            if position < text.count {
                let decoded = _decodeScalar(text, position)
                (scalar, after) = (decoded.0, decoded.1)
            } else {
                (scalar, after) = (nil, position)
            }
            // Unanchored search: a new thread starts at every position.
            if addThread(0, &current, &marks, generation, &stack, position: position, count: text.count, previous: previous, next: scalar) { return true }
            guard let c = scalar else { return false }
            generation += 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                let advance: Bool
                switch ops[pc] {
                case .scalar(let s): advance = s == c
                case .any: advance = c != 0x0A
                case .set(let ranges, let negated): advance = ranges.contains { $0.contains(c) } != negated
                default: advance = false
                }
                if advance {
                    let lookahead: UInt32? = after < text.count ? _decodeScalar(text, after).0 : nil
                    if addThread(pc + 1, &next, &marks, generation, &stack, position: after, count: text.count, previous: c, next: lookahead) { return true }
                }
            }
            swap(&current, &next)
            previous = c
            position = after
        }
    }

    /// Adds `pc` and everything reachable without consuming input to `list`; true on a match.
    private func addThread(
        _ pc: Int, _ list: inout [Int], _ marks: inout [Int], _ generation: Int, _ stack: inout [Int],
        position: Int, count: Int, previous: UInt32?, next: UInt32?
    ) -> Bool {
        stack.append(pc)
        while let pc = stack.popLast() {
            guard marks[pc] != generation else { continue }
            marks[pc] = generation
            switch ops[pc] {
            case .match: stack.removeAll(); return true
            case .jump(let target): stack.append(target)
            case .split(let a, let b): stack.append(b); stack.append(a)
            case .textStart: if position == 0 { stack.append(pc + 1) }
            case .textEnd: if position == count { stack.append(pc + 1) }
            case .wordBoundary(let wanted):
                if (_isWordScalar(previous) != _isWordScalar(next)) == wanted { stack.append(pc + 1) }
            case .scalar, .any, .set: list.append(pc)
            }
        }
        return false
    }
}

private func _isWordScalar(_ s: UInt32?) -> Bool {
    guard let s else { return false }
    return (0x30...0x39).contains(s) || (0x41...0x5A).contains(s) || (0x61...0x7A).contains(s) || s == 0x5F
}

indirect enum _RegexNode {
    case empty
    case scalar(UInt32)
    case any
    case set([ClosedRange<UInt32>], negated: Bool)
    case textStart
    case textEnd
    case wordBoundary(Bool)
    case concat([_RegexNode])
    case alternate([_RegexNode])
    case repeated(_RegexNode, min: Int, max: Int?)
}

/// Recursive-descent parser of the supported regular-expression subset.
struct _RegexParser {
    private let pattern: [UInt32]
    private var i = 0
    private let caseInsensitive: Bool
    private var depth = 0

    init(_ pattern: [UInt32], caseInsensitive: Bool) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }

    private var current: UInt32? { i < pattern.count ? pattern[i] : nil }

    private func unsupported(_ what: String) -> SQLError {
        SQLError(.unsupported, "regular expression feature \(what) is not supported (supported: literals, ., [...], \\d \\w \\s \\b, ^ $, * + ? {n,m}, |, groups)")
    }

    private func invalid(_ what: String) -> SQLError {
        SQLError(.runtime, "invalid regular expression: \(what)")
    }

    mutating func parse() throws(SQLError) -> _RegexNode {
        let node = try alternation()
        if i < pattern.count { throw invalid("unmatched )") }
        return node
    }

    private mutating func alternation() throws(SQLError) -> _RegexNode {
        var items = [try concatenation()]
        while current == 0x7C {  // |
            i += 1
            items.append(try concatenation())
        }
        return items.count == 1 ? items[0] : .alternate(items)
    }

    private mutating func concatenation() throws(SQLError) -> _RegexNode {
        var items: [_RegexNode] = []
        while let c = current, c != 0x7C, c != 0x29 {  // | )
            var atom = try self.atom()
            quantifiers: while let q = current {
                let bounds: (Int, Int?)
                switch q {
                case 0x2A: i += 1; bounds = (0, nil)  // *
                case 0x2B: i += 1; bounds = (1, nil)  // +
                case 0x3F: i += 1; bounds = (0, 1)  // ?
                case 0x7B:  // {
                    guard let counted = try counted() else { break quantifiers }
                    bounds = counted
                default: break quantifiers
                }
                if current == 0x3F { i += 1 }  // lazy: the same answer for "does it match"
                else if current == 0x2B { throw unsupported("possessive quantifiers") }
                guard (bounds.1 ?? bounds.0) >= bounds.0, (bounds.1 ?? bounds.0) <= 1000 else { throw invalid("bad repetition count") }
                atom = .repeated(atom, min: bounds.0, max: bounds.1)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (nothing consumed) when `{` is a literal.
    private mutating func counted() throws(SQLError) -> (Int, Int?)? {
        let start = i
        i += 1
        func number(_ p: inout _RegexParser) -> Int? {
            var value: Int?
            while let c = p.current, (0x30...0x39).contains(c) {
                value = min((value ?? 0) * 10 + Int(c - 0x30), 100_000)
                p.i += 1
            }
            return value
        }
        guard let low = number(&self) else { i = start; return nil }
        var high: Int? = low
        if current == 0x2C { i += 1; high = number(&self) }
        guard current == 0x7D else { i = start; return nil }
        i += 1
        return (low, high)
    }

    private mutating func atom() throws(SQLError) -> _RegexNode {
        let c = pattern[i]
        i += 1
        switch c {
        case 0x28:  // (
            if current == 0x3F {  // (?
                guard i + 1 < pattern.count, pattern[i + 1] == 0x3A else {
                    throw unsupported("(?…) other than (?:…) (look-around, inline flags, named groups)")
                }
                i += 2
            }
            depth += 1
            guard depth < 100 else { throw unsupported("groups nested more than 100 deep") }
            let inner = try alternation()
            depth -= 1
            guard current == 0x29 else { throw invalid("missing )") }
            i += 1
            return inner
        case 0x5B: return try characterClass()
        case 0x2E: return .any
        case 0x5E: return .textStart
        case 0x24: return .textEnd
        case 0x5C: return try escape(inClass: false)
        case 0x2A, 0x2B, 0x3F: throw invalid("repetition operator without an operand")
        default: return literal(c)
        }
    }

    private func literal(_ c: UInt32) -> _RegexNode {
        guard caseInsensitive else { return .scalar(c) }
        let ranges = _caseFolded([c...c])
        return ranges.count == 1 ? .scalar(c) : .set(ranges, negated: false)
    }

    private mutating func escape(inClass: Bool) throws(SQLError) -> _RegexNode {
        guard let c = current else { throw invalid("trailing backslash") }
        i += 1
        let digit: [ClosedRange<UInt32>] = [0x30...0x39]
        let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
        switch c {
        case 0x64: return .set(digit, negated: false)  // d
        case 0x44: return .set(digit, negated: true)  // D
        case 0x77: return .set(word, negated: false)  // w
        case 0x57: return .set(word, negated: true)  // W
        case 0x73: return .set(space, negated: false)  // s
        case 0x53: return .set(space, negated: true)  // S
        case 0x6E: return .scalar(0x0A)  // n
        case 0x74: return .scalar(0x09)  // t
        case 0x72: return .scalar(0x0D)  // r
        case 0x62 where !inClass: return .wordBoundary(true)  // b
        case 0x42 where !inClass: return .wordBoundary(false)  // B
        case 0x41 where !inClass: return .textStart  // A
        case 0x7A where !inClass: return .textEnd  // z
        case 0x31...0x39: throw unsupported("back-references (\\\(Character(Unicode.Scalar(c)!)))")
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            throw unsupported("the escape \\\(Character(Unicode.Scalar(c)!))")
        default: return literal(c)
        }
    }

    private mutating func characterClass() throws(SQLError) -> _RegexNode {
        var negated = false
        if current == 0x5E { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while let c = current, c != 0x5D || first {
            first = false
            i += 1
            var low = c
            if c == 0x5B, current == 0x3A { throw unsupported("named classes [[:…:]]") }
            if c == 0x5C {
                switch try escape(inClass: true) {
                case .scalar(let s): low = s
                case .set(let r, negated: false): ranges += r; continue
                case .set: throw unsupported("negated escapes (\\D \\W \\S) inside [...]")
                default: throw invalid("bad escape in [...]")
                }
            }
            if current == 0x2D, i + 1 < pattern.count, pattern[i + 1] != 0x5D {  // a-z
                i += 1
                var high = pattern[i]
                i += 1
                if high == 0x5C {
                    guard case .scalar(let s) = try escape(inClass: true) else { throw invalid("bad range in [...]") }
                    high = s
                }
                guard low <= high else { throw invalid("bad range in [...]") }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        guard current == 0x5D else { throw invalid("missing ]") }
        i += 1
        return .set(caseInsensitive ? _caseFolded(ranges) : ranges, negated: negated)
    }
}

/// `ranges` plus the other ASCII case of every letter they contain.
func _caseFolded(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    var result = ranges
    for r in ranges {
        for (from, to) in [(UInt32(0x41)...0x5A, Int64(0x20)), (UInt32(0x61)...0x7A, Int64(-0x20))] {
            let lo = max(r.lowerBound, from.lowerBound)
            let hi = min(r.upperBound, from.upperBound)
            if lo <= hi { result.append(UInt32(Int64(lo) + to)...UInt32(Int64(hi) + to)) }
        }
    }
    return result
}

/// `regexp_matches(s, pattern[, flags])` row by row; the pattern is compiled once per run of
/// equal patterns.
func _regexpMatches(_ values: [Column], rows: Int) throws -> Column {
    let text = try _text(values[0])
    let pattern = try _text(values[1])
    let flags = values.count > 2 ? try _text(values[2]) : nil
    var compiled: _RegexProgram?
    var compiledFrom: String?
    var compiledFlags: String?
    var failure: (any Error)?
    let result = _withRows(pattern) { patterns in
        _mapTextToBool(text, rows: rows, also: [pattern.validity, flags?.validity]) { row, s in
            guard failure == nil else { return false }
            let source = String(decoding: patterns.row(row), as: UTF8.self)
            let flag = flags?.string(at: row) ?? ""
            if compiled == nil || source != compiledFrom || flag != compiledFlags {
                do {
                    compiled = try _compileRegex(source, flags: flag)
                } catch {
                    failure = error
                    return false
                }
                compiledFrom = source
                compiledFlags = flag
            }
            return compiled!.matches(s)
        }
    }
    if let failure { throw failure }
    return result
}

func _compileRegex(_ pattern: String, flags: String) throws(SQLError) -> _RegexProgram {
    for flag in flags where flag != "i" && flag != "c" {
        throw SQLError(.unsupported, "regexp flag '\(flag)' is not supported (only 'i' and 'c')")
    }
    return try _RegexProgram(pattern, caseInsensitive: flags.last { $0 == "i" || $0 == "c" } == "i")
}
