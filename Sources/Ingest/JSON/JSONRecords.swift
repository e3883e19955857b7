#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// JSON string escapes.
enum JSONText {
    /// Appends the text of a JSON string body (between its quotes) with escapes undone; an
    /// invalid escape is kept as written.
    static func unescape(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [UInt8]) {
        var k = 0
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for j in at..<(at + 4) {
                let b = p[j]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while k < n {
            let b = p[k]
            guard b == 0x5C, k + 1 < n else { out.append(b); k += 1; continue }
            let e = p[k + 1]
            k += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard var v = hex(k) else { out.append(contentsOf: [0x5C, e]); continue }
                k += 4
                if v >= 0xD800 && v < 0xDC00, k + 6 <= n, p[k] == 0x5C, p[k + 1] == 0x75, let low = hex(k + 2), low >= 0xDC00 && low < 0xE000 {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                appendScalar(v)
            default: out.append(e)   // \" \\ \/
            }
        }
    }
}

/// The values of JSON objects, gathered per flattened column (`address.city`) as spans in the
/// source bytes: strings (inside their quotes), bare numbers and booleans, and arrays (their
/// whole text, `[` to `]`). A row lacking a key has a missing value there.
final class JSONRecords: @unchecked Sendable {
    static let array: UInt8 = 16

    final class Values {
        let starts = _Growable<UInt32>(capacity: 4096)
        let ends = _Growable<UInt32>(capacity: 4096)
        let flags = _Growable<UInt8>(capacity: 4096)
        var count: Int { flags.count }
        func append(_ start: Int, _ end: Int, _ flag: UInt8) {
            starts.append(UInt32(truncatingIfNeeded: start))
            ends.append(UInt32(truncatingIfNeeded: end))
            flags.append(flag)
        }
    }

    /// Column names in order of first appearance (dotted paths).
    var names: [String] = []
    var columns: [Values] = []
    var rows = 0
    /// Line of each row's start (0-based, from the window's start).
    let rowLines = _Growable<Int32>(capacity: 4096)
    var endOffset = 0
    var error: CSVTokens.Failure?
    var sawArrayStart = false
    var sawArrayEnd = false
    /// The bytes the spans point into.
    private(set) var bytes: [UInt8] = []

    // The path tree: children by key bytes, so a key costs no allocation once seen.
    private struct Node {
        var children: [(key: [UInt8], node: Int)] = []
        var column = -1
        var path: String
    }
    private var nodes = [Node(path: "")]

    init(names: [String] = []) {
        for name in names { _ = columnIndex(forPath: name) }
    }

    private func child(of parent: Int, key: UnsafePointer<UInt8>, _ n: Int, text: String?) -> Int {
        for (k, node) in nodes[parent].children where k.count == n {
            if k.withUnsafeBufferPointer({ memcmp($0.baseAddress!, key, n) }) == 0 { return node }
        }
        let name = text ?? String(decoding: UnsafeBufferPointer(start: key, count: n), as: UTF8.self)
        let path = parent == 0 ? name : nodes[parent].path + "." + name
        nodes.append(Node(path: path))
        nodes[parent].children.append((Array(UnsafeBufferPointer(start: key, count: n)), nodes.count - 1))
        return nodes.count - 1
    }

    private func columnIndex(forPath path: String) -> Int {
        var node = 0
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(part.utf8)
            node = bytes.withUnsafeBufferPointer { child(of: node, key: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, text: String(part)) }
        }
        return column(of: node)
    }

    private func column(of node: Int) -> Int {
        if nodes[node].column >= 0 { return nodes[node].column }
        nodes[node].column = columns.count
        names.append(nodes[node].path)
        let values = Values()
        for _ in 0..<rows { values.append(0, 0, SpanColumn.missing) }
        columns.append(values)
        return columns.count - 1
    }

    // MARK: Parsing

    private struct Incomplete: Error {}
    private struct Malformed: Error {
        var message: String
        var offset: Int
    }

    /// Parses the objects in `bytes[range]` (newline-delimited, or the elements of one top-level
    /// array); stops before an object cut by the range's end unless `atEnd`.
    ///   - inArray: For a later window, whether the file is one top-level array (known from its
    ///     first window).
    func parse(_ bytes: [UInt8], start: Int, end: Int? = nil, atEnd: Bool, firstWindow: Bool, inArray: Bool = false) {
        self.bytes = bytes
        if !firstWindow && inArray { sawArrayStart = true }
        bytes.withUnsafeBufferPointer { parse($0, range: start..<(end ?? $0.count), atEnd: atEnd, firstWindow: firstWindow) }
    }

    /// Appends the rows of `other` (parsed from the same bytes, after these rows), matching its
    /// columns by name; `lineOffset` is the lines between this part's start and `other`'s.
    func append(_ other: JSONRecords, lineOffset: Int) {
        var mapping: [Int] = []
        for name in other.names {
            if let k = names.firstIndex(of: name) {
                mapping.append(k)
            } else {
                mapping.append(columnIndex(forPath: name))
            }
        }
        for (k, values) in other.columns.enumerated() {
            let target = columns[mapping[k]]
            for i in 0..<values.count { target.append(Int(values.starts[i]), Int(values.ends[i]), values.flags[i]) }
        }
        rows += other.rows
        for values in columns where values.count < rows {
            for _ in values.count..<rows { values.append(0, 0, SpanColumn.missing) }
        }
        for i in 0..<other.rowLines.count { rowLines.append(other.rowLines[i] + Int32(truncatingIfNeeded: lineOffset)) }
        endOffset = other.endOffset
    }

    /// Calls `body` with column `c` as a ``SpanColumn`` over the parsed bytes.
    func withSpanColumn<R>(_ c: Int, nulls: NullMatcher, _ body: (SpanColumn) throws -> R) rethrows -> R {
        let values = columns[c]
        return try bytes.withUnsafeBufferPointer { buffer in
            try body(SpanColumn(bytes: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, starts: values.starts.base, ends: values.ends.base,
                                flags: values.flags.base, stride: 1, count: values.count, escape: .json, nulls: nulls))
        }
    }

    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, atEnd: Bool, firstWindow: Bool) {
        guard let p = bytes.baseAddress else { return }
        let end = range.upperBound
        var k = range.lowerBound
        var line = 0
        endOffset = k
        func skipSpace() {
            while k < end {
                let b = p[k]
                if b == 0x0A { line += 1 } else if !(b == 0x20 || b == 0x09 || b == 0x0D) { break }
                k += 1
            }
        }
        if firstWindow {
            if k + 3 <= end && p[k] == 0xEF && p[k + 1] == 0xBB && p[k + 2] == 0xBF { k += 3 }
            skipSpace()
            // `endOffset` stays before the '[': a first element longer than the window leaves the
            // window unconsumed, and it is read again, larger, from the '['.
            if k < end && p[k] == 0x5B { sawArrayStart = true; k += 1 }
        }
        while true {
            skipSpace()
            // A window ends before a ',' (never after it) so the next one knows it is in an array.
            var comma: Int?
            if k < end && p[k] == 0x2C && sawArrayStart { comma = k; k += 1; skipSpace() }
            guard k < end else { endOffset = comma ?? k; break }
            if p[k] == 0x5D && sawArrayStart {
                k += 1
                sawArrayEnd = true
                skipSpace()
                endOffset = k
                if k < end { error = .init(code: .malformedJSON, message: "text after the closing ] of the top-level array", line: line, field: nil, offset: k) }
                return
            }
            let start = k
            let startLine = line
            guard p[k] == 0x7B else {
                error = .init(code: .malformedJSON, message: "expected a JSON object ('{'), found '\(Character(Unicode.Scalar(p[k])))'", line: line, field: nil, offset: k)
                return
            }
            do {
                let before = rows
                try object(p, &k, end, node: 0, line: &line)
                rows = before + 1
                for values in columns where values.count < rows { values.append(0, 0, SpanColumn.missing) }
                rowLines.append(Int32(truncatingIfNeeded: startLine))
                endOffset = k
            } catch let failure as Malformed {
                error = .init(code: .malformedJSON, message: failure.message, line: line, field: nil, offset: failure.offset)
                // Undo the partial row.
                trim(to: rows)
                return
            } catch {
                trim(to: rows)
                k = start
                line = startLine
                if atEnd { self.error = .init(code: .malformedJSON, message: "the file ends inside a JSON object", line: line, field: nil, offset: start) }
                return
            }
        }
        if atEnd && sawArrayStart && !sawArrayEnd {
            error = .init(code: .malformedJSON, message: "the top-level array is never closed", line: line, field: nil, offset: k)
        }
    }

    private func trim(to rows: Int) {
        for values in columns where values.count > rows {
            values.starts.truncate(rows); values.ends.truncate(rows); values.flags.truncate(rows)
        }
    }

    private func object(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int, node: Int, line: inout Int) throws {
        k += 1   // {
        func skip() throws {
            while k < end {
                let b = p[k]
                if b == 0x0A { line += 1 } else if !(b == 0x20 || b == 0x09 || b == 0x0D) { return }
                k += 1
            }
            throw Incomplete()
        }
        try skip()
        if p[k] == 0x7D { k += 1; return }
        while true {
            try skip()
            guard p[k] == 0x22 else { throw Malformed(message: "expected a key in quotes", offset: k) }
            let (keyStart, keyEnd, keyEscaped) = try string(p, &k, end)
            let childNode: Int
            if keyEscaped {
                var text: [UInt8] = []
                JSONText.unescape(p + keyStart, keyEnd - keyStart, into: &text)
                childNode = text.withUnsafeBufferPointer { child(of: node, key: $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count, text: nil) }
            } else {
                childNode = child(of: node, key: p + keyStart, keyEnd - keyStart, text: nil)
            }
            try skip()
            guard p[k] == 0x3A else { throw Malformed(message: "expected ':' after a key", offset: k) }
            k += 1
            try skip()
            try value(p, &k, end, node: childNode, line: &line)
            try skip()
            if p[k] == 0x2C { k += 1; continue }
            if p[k] == 0x7D { k += 1; return }
            throw Malformed(message: "expected ',' or '}' in an object", offset: k)
        }
    }

    private func record(_ node: Int, _ start: Int, _ end: Int, _ flag: UInt8) {
        let values = columns[column(of: node)]
        if values.count == rows + 1 {
            // A key given twice: the last value wins.
            values.starts[rows] = UInt32(truncatingIfNeeded: start)
            values.ends[rows] = UInt32(truncatingIfNeeded: end)
            values.flags[rows] = flag
        } else {
            values.append(start, end, flag)
        }
    }

    private func value(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int, node: Int, line: inout Int) throws {
        let b = p[k]
        switch b {
        case 0x7B:
            try object(p, &k, end, node: node, line: &line)
        case 0x22:
            let (s, e, escaped) = try string(p, &k, end)
            record(node, s, e, SpanColumn.quoted | (escaped ? SpanColumn.escaped : 0))
        case 0x5B:
            let start = k
            try skipComposite(p, &k, end, line: &line)
            record(node, start, k, Self.array)
        default:
            let start = k
            while k < end {
                let c = p[k]
                if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { break }
                k += 1
            }
            if k == end { throw Incomplete() }
            let n = k - start
            if n == 4 && memcmp(p + start, "null", 4) == 0 {
                // A null where other rows hold an object: its columns are null (missing) in this
                // row, and it adds no column of its own.
                if nodes[node].column < 0 && !nodes[node].children.isEmpty { return }
                record(node, start, start, SpanColumn.missing)
                return
            }
            let first = p[start]
            guard n > 0, first == 0x2D || TextValues.isDigit(first) || (n == 4 && memcmp(p + start, "true", 4) == 0)
                || (n == 5 && memcmp(p + start, "false", 5) == 0) else {
                throw Malformed(message: "invalid JSON value", offset: start)
            }
            record(node, start, k, SpanColumn.bare)
        }
    }

    /// Scans a string at `k` (its opening quote); returns its body's range.
    private func string(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int) throws -> (Int, Int, Bool) {
        k += 1
        let start = k
        var escaped = false
        while k < end {
            let b = p[k]
            if b == 0x22 { k += 1; return (start, k - 1, escaped) }
            if b == 0x5C { escaped = true; k += 2; continue }
            if b == 0x0A { throw Malformed(message: "a string holds a raw line break", offset: k) }
            k += 1
        }
        throw Incomplete()
    }

    /// Skips an array or object (with nested strings).
    private func skipComposite(_ p: UnsafePointer<UInt8>, _ k: inout Int, _ end: Int, line: inout Int) throws {
        var depth = 0
        while k < end {
            let b = p[k]
            switch b {
            case 0x5B, 0x7B: depth += 1; k += 1
            case 0x5D, 0x7D:
                depth -= 1
                k += 1
                if depth == 0 { return }
            case 0x22: _ = try string(p, &k, end)
            case 0x0A: line += 1; k += 1
            default: k += 1
            }
        }
        throw Incomplete()
    }
}
