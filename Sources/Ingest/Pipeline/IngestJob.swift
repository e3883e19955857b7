#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ColumnarCore
import Crypto
import Dispatch

/// One window of a file: bytes read at `baseOffset`, parsed from `start`; the body sets how far
/// it got (`consumed`, a record boundary) and how many lines that was.
struct Window {
    var bytes: [UInt8]
    var start: Int
    var atEnd: Bool
    var baseOffset: Int
    var baseLine: Int
    var first: Bool
    var consumed = 0
    var lines = 0
    /// How many bytes longer the window's parsed part is than the file's bytes it stands for
    /// (invalid UTF-8 replaced by U+FFFD).
    var shift = 0
    /// Set by the body to stop reading after this window.
    var stop = false
}

/// The work of one ingest: pass 1 (``survey()``) finds the columns and their types over every
/// row; pass 2 (``convert(plan:emit:)``) parses again and hands typed batches to the writer. A
/// file that fits one window is read and tokenized once.
final class IngestJob {
    let file: InputFile
    let options: IngestOptions
    let format: IngestOptions.Format
    let nulls: NullMatcher
    private var hasher = SHA256()
    private var hashed = false
    private let hashQueue = DispatchQueue(label: "lakehouse.ingest.hash")
    private let hashing = DispatchGroup()
    private(set) var contentHash = ""
    private(set) var skippedRows = 0

    // CSV
    private var sniffed: CSVSniffer.Result?
    private var escape: EscapeKind = .doubledQuote(0x22)
    // Both formats
    private(set) var names: [String] = []
    private var inferences: [ColumnInference] = []
    // JSON
    private var hasArrays: [Bool] = []
    private var hasScalars: [Bool] = []
    private var listKinds: [JSONArrays.ElementKind?] = []
    // A file that fits one window keeps what pass 1 made of it.
    private var cached: (window: Window, parts: [CSVTokens]?, json: JSONRecords?)?

    init(file: InputFile, options: IngestOptions, format: IngestOptions.Format) {
        self.file = file
        self.options = options
        self.format = format
        nulls = NullMatcher(options.nullTokens)
    }

    private var cores: Int { options.parallel ? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) : 1 }

    // MARK: Hashing

    func hashWholeFile() throws(IngestError) -> String {
        var offset = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8 << 20)
        while offset < file.size {
            buffer.removeAll(keepingCapacity: true)
            let n = try file.read(at: offset, count: 8 << 20, appendingTo: &buffer)
            if n == 0 { break }
            hasher.update(data: buffer)
            offset += n
        }
        finishHash()
        hashed = true
        return contentHash
    }

    private func finishHash() {
        contentHash = hasher.finalize().map { byte in
            let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
            return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
        }.joined()
    }

    // MARK: Windows

    /// Reads the file window by window from byte `startOffset` (line `startLines`), calling
    /// `body` with each; a record longer than a window grows the window. With `hash`, every byte
    /// of the file (those before `startOffset` too) goes into the content hash.
    private func windows(hash: Bool, from startOffset: Int = 0, lines startLines: Int = 0,
                         _ body: (inout Window) throws(IngestError) -> Void) throws(IngestError) {
        var offset = startOffset
        var carry: [UInt8] = []
        var baseOffset = startOffset
        var baseLine = startLines
        var first = true
        var readSize = options.windowBytes
        defer { hashing.wait() }
        if hash && startOffset > 0 {
            var head: [UInt8] = []
            _ = try file.read(at: 0, count: startOffset, appendingTo: &head)
            hasher.update(data: head)
        }
        // The buffer of the window before last is reused (its pages are already mapped), once
        // nothing else holds it.
        var spare: [UInt8] = []
        while true {
            hashing.wait()
            var bytes = spare
            spare = []
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: carry)
            let n = try file.read(at: offset, count: readSize, appendingTo: &bytes)
            if hash {
                // Hash the new bytes on another thread while this one parses them.
                hashing.wait()
                let fresh = bytes, from = carry.count
                let job = UnsafeSendable(self)
                hashing.enter()
                hashQueue.async {
                    fresh.withUnsafeBufferPointer { job.value.hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[from...]))) }
                    job.value.hashing.leave()
                }
            }
            offset += n
            let atEnd = offset >= file.size
            var window = Window(bytes: bytes, start: 0, atEnd: atEnd, baseOffset: baseOffset, baseLine: baseLine, first: first)
            try body(&window)
            if window.stop { return }
            if window.consumed == 0 && !atEnd {
                // Not one whole record: read more into a bigger window (still the first, if it was).
                readSize *= 2
                carry = bytes
                continue
            }
            first = false
            readSize = options.windowBytes
            baseOffset += window.consumed - window.shift
            baseLine += window.lines
            if atEnd { break }
            carry = Array(window.bytes[window.consumed...])
            spare = window.bytes
        }
        if hash { hashing.wait(); finishHash(); hashed = true }
    }

    private static func bomLength(_ bytes: [UInt8]) -> Int { bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0 }

    // MARK: Pass 1

    /// Whether pass 1 read only the first window, and pass 2 converts with the types it gave,
    /// checking every value against them (a value that does not fit stops the ingest, which then
    /// starts over with both passes: see ``IngestError/Code/speculationFailed``).
    private(set) var speculative = false

    /// Pass 1. With `speculate`, a file larger than one window whose first window gives every
    /// column a value is surveyed on that window alone.
    func survey(speculate: Bool = false) throws(IngestError) {
        let hash = !hashed
        var windowCount = 0
        var last: Window?
        var lastParts: [CSVTokens]?
        var lastJSON: JSONRecords?
        switch format {
        case .csv:
            // The dialect and header from the first MiB, whatever the window size.
            var sample: [UInt8] = []
            _ = try file.read(at: 0, count: (1 << 20) + 3, appendingTo: &sample)
            let bom = Self.bomLength(sample)
            let sniffed = sample.withUnsafeBufferPointer { all in
                CSVSniffer(options: options.csv, nulls: nulls).sniff(all, start: bom, atEnd: sample.count == file.size)
            }
            setUp(sniffed)
            try windows(hash: hash, from: sniffed.dataOffset, lines: sniffed.dataLine) { (window) throws(IngestError) in
                let parts = try tokenize(&window)
                try inferCSV(parts, window: window)
                windowCount += 1
                last = window
                lastParts = parts
                if speculate && windowCount == 1 && !window.atEnd && inferences.allSatisfy({ $0.values > 0 }) {
                    window.stop = true
                    speculative = true
                }
            }
            if speculative {
                // Pass 2 reads (and hashes) the whole file.
                hasher = SHA256()
                skippedRows = 0
            } else if windowCount == 1, let last {
                cached = (last, lastParts, nil)
            }
        case .json:
            try windows(hash: hash) { (window) throws(IngestError) in
                let records = try parseJSON(&window)
                inferJSON(records)
                windowCount += 1
                last = window
                lastJSON = records
            }
            if windowCount == 1, let last { cached = (last, nil, lastJSON) }
        }
    }

    private func setUp(_ result: CSVSniffer.Result) {
        sniffed = result
        let d = result.dialect
        escape = d.escape == d.quote ? .doubledQuote(d.quote) : .backslash(d.escape)
        names = result.names ?? (1...max(result.columns, 1)).map { "column\($0)" }
        inferences = Array(repeating: ColumnInference(), count: result.columns)
    }

    // MARK: CSV

    /// Tokenizes a window, in parts on several cores when the dialect allows it.
    private func tokenize(_ window: inout Window) throws(IngestError) -> [CSVTokens] {
        guard let sniffed else { throw IngestError(.empty, "the file holds no CSV records") }
        let tokenizer = CSVTokenizer(dialect: sniffed.dialect, ragged: options.csv.raggedRows)
        let columns = sniffed.columns
        let start = window.start, atEnd = window.atEnd
        let parts = cores
        let bytes = window.bytes
        var result: [CSVTokens] = bytes.withUnsafeBufferPointer { buffer -> [CSVTokens] in
            let length = buffer.count - start
            if parts > 1 && sniffed.dialect.splittable && length > (4 << 20) {
                if let split = Self.splitTokenize(buffer, start: start, parts: parts, atEnd: atEnd, tokenizer: tokenizer, columns: columns) {
                    return split
                }
            }
            return [tokenizer.tokenize(buffer, range: start..<buffer.count, atEnd: atEnd, columns: columns)]
        }
        // Errors, then UTF-8.
        var lineBase = window.baseLine
        for tokens in result {
            if let failure = tokens.error {
                throw IngestError(failure.code, failure.message, line: lineBase + failure.line + 1,
                                  column: failure.field.map { columnName($0) }, byteOffset: window.baseOffset + failure.offset)
            }
            lineBase += tokens.lines
        }
        let end = result.last!.endOffset
        let invalid: Int? = bytes.withUnsafeBufferPointer { _firstInvalidUTF8($0.baseAddress! + start, end - start).map { $0 + start } }
        if let invalid {
            if options.invalidUTF8 == .error {
                let line = bytes.withUnsafeBufferPointer { CSVTokenizer.lineBreaks($0.baseAddress!, start, invalid) }
                throw IngestError(.invalidUTF8, "the bytes are not UTF-8 (set invalidUTF8 to .replace to read them with U+FFFD)",
                                  line: window.baseLine + line + 1, byteOffset: window.baseOffset + invalid)
            }
            // Replace, then tokenize the repaired bytes (the unparsed rest follows them).
            var repaired = Array(bytes[..<start])
            repaired += bytes.withUnsafeBufferPointer { _repairingUTF8(UnsafeBufferPointer(rebasing: $0[start..<end])) }
            let repairedEnd = repaired.count
            repaired += bytes[end...]
            window.bytes = repaired
            window.shift = repairedEnd - end
            result = window.bytes.withUnsafeBufferPointer { [tokenizer.tokenize($0, range: start..<$0.count, atEnd: atEnd, columns: columns)] }
            if let failure = result[0].error {
                throw IngestError(failure.code, failure.message, line: window.baseLine + failure.line + 1,
                                  column: failure.field.map { columnName($0) }, byteOffset: window.baseOffset + failure.offset)
            }
            window.consumed = result[0].endOffset
            window.lines = result[0].lines
            return result
        }
        window.consumed = end
        window.lines = result.reduce(0) { $0 + $1.lines }
        return result
    }

    /// Splits a window between cores at record boundaries found by quote parity, tokenizes the
    /// parts at once, and checks that each part ended where the next began (a stray quote in an
    /// unquoted field breaks the parity; the caller then tokenizes serially).
    private static func splitTokenize(_ buffer: UnsafeBufferPointer<UInt8>, start: Int, parts: Int, atEnd: Bool, tokenizer: CSVTokenizer,
                                      columns: Int) -> [CSVTokens]? {
        let quote = tokenizer.dialect.quote
        let length = buffer.count - start
        let nominal = (0...parts).map { start + length * $0 / parts }
        let base = buffer.baseAddress!
        let shared = UnsafeSendable(base)
        let quoteCounts: [Int] = _parallelMap(parts) { k in
            var count = 0
            for j in nominal[k]..<nominal[k + 1] where shared.value[j] == quote { count += 1 }
            return count
        }
        var boundaries = [start]
        var parity = 0
        for k in 1..<parts {
            parity += quoteCounts[k - 1]
            var inQuotes = parity % 2 == 1
            var j = nominal[k]
            var found = -1
            while j < buffer.count {
                let b = base[j]
                if b == quote { inQuotes.toggle() } else if !inQuotes && b == 0x0A { found = j + 1; break }
                j += 1
            }
            guard found > boundaries.last!, found < buffer.count else { break }
            boundaries.append(found)
        }
        guard boundaries.count > 1 else { return nil }
        boundaries.append(buffer.count)
        let bounds = boundaries
        let total = buffer.count
        let results: [CSVTokens] = _parallelMap(bounds.count - 1) { k in
            let last = k == bounds.count - 2
            return tokenizer.tokenize(UnsafeBufferPointer(start: shared.value, count: total), range: bounds[k]..<bounds[k + 1],
                                      atEnd: last ? atEnd : true, columns: columns)
        }
        for k in 0..<(results.count - 1) where results[k].error != nil || results[k].endOffset != bounds[k + 1] { return nil }
        return results
    }

    private func columnName(_ index: Int) -> String {
        index < names.count ? names[index] : "#\(index + 1)"
    }

    private func inferCSV(_ parts: [CSVTokens], window: Window) throws(IngestError) {
        let columns = inferences.count
        let escape = self.escape, nulls = self.nulls
        let bytes = window.bytes
        for tokens in parts {
            skippedRows += tokens.skipped
            let rows = tokens.rows
            guard rows > 0 else { continue }
            let found: [ColumnInference] = bytes.withUnsafeBufferPointer { buffer in
                let view = SpanColumnView(tokens: tokens, bytes: buffer.baseAddress!, escape: escape, nulls: nulls)
                let base = UnsafeSendable(view)
                return _parallelMap(columns, parallel: options.parallel && rows > 10_000) { c in
                    var inference = ColumnInference()
                    base.value.column(c).infer(0..<rows, into: &inference)
                    return inference
                }
            }
            for c in 0..<columns { inferences[c].merge(found[c]) }
        }
    }

    // MARK: JSON

    private func parseJSON(_ window: inout Window) throws(IngestError) -> JSONRecords {
        let records = JSONRecords(names: names)
        let start = window.start, atEnd = window.atEnd
        var bytes = window.bytes
        if let invalid = bytes.withUnsafeBufferPointer({ _firstInvalidUTF8($0.baseAddress! + start, $0.count - start) }) {
            let at = invalid + start
            // A sequence cut by the window's end is completed by the next window.
            let cut = !atEnd && at >= bytes.count - 3
            if !cut {
                if options.invalidUTF8 == .error {
                    let line = bytes.withUnsafeBufferPointer { CSVTokenizer.lineBreaks($0.baseAddress!, start, at) }
                    throw IngestError(.invalidUTF8, "the bytes are not UTF-8 (set invalidUTF8 to .replace to read them with U+FFFD)",
                                      line: window.baseLine + line + 1, byteOffset: window.baseOffset + at)
                }
                let before = bytes.count
                bytes = Array(bytes[..<start]) + bytes.withUnsafeBufferPointer { _repairingUTF8(UnsafeBufferPointer(rebasing: $0[start...])) }
                window.bytes = bytes
                window.shift = bytes.count - before
            }
        }
        var dataStart = start
        if window.first {
            if bytes.count >= dataStart + 3 && bytes[dataStart] == 0xEF && bytes[dataStart + 1] == 0xBB && bytes[dataStart + 2] == 0xBF { dataStart += 3 }
            var k = dataStart
            while k < bytes.count && (bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09) { k += 1 }
            jsonArray = k < bytes.count && bytes[k] == UInt8(ascii: "[")
        }
        if !jsonArray && cores > 1 && bytes.count - dataStart > (4 << 20),
           let parallel = parseLinesInParallel(bytes, start: dataStart, atEnd: atEnd) {
            window.consumed = parallel.endOffset
            window.lines = bytes[start..<parallel.endOffset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return parallel
        }
        records.parse(bytes, start: start, atEnd: atEnd, firstWindow: window.first, inArray: jsonArray)
        if let failure = records.error {
            throw IngestError(failure.code, failure.message, line: window.baseLine + failure.line + 1, byteOffset: window.baseOffset + failure.offset)
        }
        window.consumed = records.endOffset
        window.lines = bytes[start..<records.endOffset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return records
    }

    /// Whether the JSON file is one top-level array (parsed serially) rather than lines.
    private var jsonArray = false

    /// Newline-delimited JSON split between cores at line breaks; nil when a part does not parse
    /// cleanly up to where the next begins (an object spanning lines), so the caller parses
    /// serially (and reports any error with its exact line).
    private func parseLinesInParallel(_ bytes: [UInt8], start: Int, atEnd: Bool) -> JSONRecords? {
        let parts = cores
        let length = bytes.count - start
        var bounds = [start]
        for k in 1..<parts {
            var j = start + length * k / parts
            while j < bytes.count && bytes[j] != 0x0A { j += 1 }
            guard j + 1 < bytes.count, j + 1 > bounds.last! else { break }
            bounds.append(j + 1)
        }
        guard bounds.count > 1 else { return nil }
        bounds.append(bytes.count)
        let known = names
        let ranges = bounds
        let results: [JSONRecords] = _parallelMap(ranges.count - 1) { k in
            let records = JSONRecords(names: known)
            records.parse(bytes, start: ranges[k], end: ranges[k + 1], atEnd: k < ranges.count - 2 ? true : atEnd, firstWindow: false)
            return records
        }
        for k in 0..<(results.count - 1) where results[k].error != nil || results[k].endOffset != ranges[k + 1] { return nil }
        if results.last!.error != nil { return nil }
        let merged = results[0]
        var lines = 0
        for k in 1..<results.count {
            lines += bytes[ranges[k - 1]..<ranges[k]].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            merged.append(results[k], lineOffset: lines)
        }
        return merged
    }

    private func inferJSON(_ records: JSONRecords) {
        names = records.names
        while inferences.count < names.count {
            inferences.append(ColumnInference())
            hasArrays.append(false)
            hasScalars.append(false)
            listKinds.append(nil)
        }
        let rows = records.rows
        guard rows > 0 else { return }
        for (c, values) in records.columns.enumerated() {
            let column = values.flags.buffer
            var arrays = false, scalars = false
            for f in column {
                if f & SpanColumn.missing != 0 { continue }
                if f & JSONRecords.array != 0 { arrays = true } else { scalars = true }
            }
            hasArrays[c] = hasArrays[c] || arrays
            hasScalars[c] = hasScalars[c] || scalars
            records.withSpanColumn(c, nulls: nulls) { span in
                if arrays && !scalars {
                    let kind = JSONArrays.kind(span, rows: 0..<rows, arrayFlag: JSONRecords.array)
                    listKinds[c] = Self.merge(listKinds[c], kind)
                } else if scalars {
                    var inference = ColumnInference()
                    span.infer(0..<rows, into: &inference)
                    inference.nulls = 0
                    inferences[c].merge(inference)
                }
            }
        }
    }

    private static func merge(_ a: JSONArrays.ElementKind?, _ b: JSONArrays.ElementKind) -> JSONArrays.ElementKind {
        guard let a else { return b }
        if a == b { return a }
        if (a == .integer && b == .float) || (a == .float && b == .integer) { return .float }
        return .json
    }

    // MARK: Planning

    /// The dataset columns: names deduplicated and renamed, types inferred, overridden, or taken
    /// from the existing dataset.
    func plan(existing: Schema?) throws(IngestError) -> IngestPlan {
        if format == .csv && (sniffed == nil || inferences.allSatisfy { $0.values + $0.nulls == 0 }) {
            // A header alone would make a dataset of text columns that later files could not type.
            throw IngestError(.empty, sniffed?.header == true ? "the file has a header but no rows" : "the file is empty: no header and no rows")
        }
        if names.isEmpty { throw IngestError(.empty, "the file holds no values (no JSON objects with keys)") }
        var used = Set<String>()
        var columns: [PlannedColumn] = []
        let renamed = Set(options.rename.keys)
        for k in renamed where !names.contains(k) {
            throw IngestError(.invalidOption, "rename names a column the file lacks: \(k); columns: \(names.joined(separator: ", "))")
        }
        for (k, original) in names.enumerated() {
            var name = options.rename[original] ?? original.trimmingSpaces
            if name.isEmpty { name = "column\(k + 1)" }
            var unique = name
            var n = 2
            while used.contains(unique.lowercased()) {
                if options.rename[original] != nil {
                    throw IngestError(.schemaConflict, "two columns would be named \(name)", column: original)
                }
                unique = "\(name)_\(n)"
                n += 1
            }
            used.insert(unique.lowercased())
            let inference = k < inferences.count ? inferences[k] : ColumnInference()
            var type: ResolvedType
            var listKind: JSONArrays.ElementKind?
            var dataType: DataType
            if format == .json && k < hasArrays.count && hasArrays[k] {
                if !hasScalars[k], let kind = listKinds[k], kind != .json {
                    listKind = kind
                    type = .text
                    dataType = .list(Field("element", kind.dataType))
                } else {
                    type = .text
                    dataType = .utf8
                }
            } else {
                type = inference.resolve(ambiguousDates: options.ambiguousDates)
                dataType = type.dataType
            }
            let forcedType = options.columnTypes.first { $0.key.lowercased() == unique.lowercased() }?.value
                ?? existing?.fields.first { $0.name.lowercased() == unique.lowercased() }?.dataType
            if let forcedType, forcedType != dataType {
                if listKind != nil {
                    throw IngestError(.schemaConflict, "the file's values are lists of \(listKind!.dataType); the column is \(forcedType)", column: unique)
                }
                guard let forced = ResolvedType.forced(forcedType, dateForms: inference.candidates) else {
                    throw IngestError(.schemaConflict, "text values cannot be read as \(forcedType)", column: unique)
                }
                type = forced
                dataType = forcedType
            }
            columns.append(PlannedColumn(source: k, name: unique, type: type, listKind: listKind, dataType: dataType, forced: forcedType != nil))
        }
        for key in options.columnTypes.keys where !columns.contains(where: { $0.name.lowercased() == key.lowercased() }) {
            throw IngestError(.invalidOption, "columnTypes names a column the file lacks: \(key); columns: \(columns.map(\.name).joined(separator: ", "))")
        }
        return IngestPlan(columns: columns)
    }

    // MARK: Pass 2

    /// Parses the file again (or uses pass 1's tokens) and emits typed batches in file order.
    /// Batches go to `emit` on a writer thread, one window behind the parsing: while the writer
    /// encodes window k, window k + 1 is read, tokenized and converted.
    func convert(plan: IngestPlan, emit: @escaping (RecordBatch) throws(IngestError) -> Void) throws(IngestError) {
        let schema = plan.schema
        let writer = _BackgroundWriter(emit)
        if let cached {
            if let parts = cached.parts { try writer.submit(try emitCSV(parts, window: cached.window, plan: plan, schema: schema)) }
            if let json = cached.json { try writer.submit(try emitJSON(json, window: cached.window, plan: plan, schema: schema)) }
            self.cached = nil
            try writer.finish()
            return
        }
        do throws(IngestError) {
            switch format {
            case .csv:
                guard let sniffed else { return }
                try windows(hash: speculative && !hashed, from: sniffed.dataOffset, lines: sniffed.dataLine) { (window) throws(IngestError) in
                    let parts = try tokenize(&window)
                    if speculative { skippedRows += parts.reduce(0) { $0 + $1.skipped } }
                    try writer.submit(try emitCSV(parts, window: window, plan: plan, schema: schema))
                }
            case .json:
                try windows(hash: false) { (window) throws(IngestError) in
                    let records = try parseJSON(&window)
                    try writer.submit(try emitJSON(records, window: window, plan: plan, schema: schema))
                }
            }
        } catch {
            try? writer.finish()
            throw error
        }
        try writer.finish()
    }

    private static func mismatchError(_ mismatch: SpanColumn.Mismatch, column: PlannedColumn, line: Int, options: IngestOptions) -> IngestError {
        IngestError(.typeMismatch, "the value '\(mismatch.text)' is not a \(column.dataType) (the column's type, from "
                    + (options.columnTypes.keys.contains { $0.lowercased() == column.name.lowercased() } ? "columnTypes" : "the dataset") + ")",
                    line: line, column: column.name)
    }

    private func emitCSV(_ parts: [CSVTokens], window: Window, plan: IngestPlan, schema: Schema) throws(IngestError) -> [RecordBatch] {
        let batchRows = max(1, options.batchRows)
        var tasks: [(part: Int, rows: Range<Int>)] = []
        for (p, tokens) in parts.enumerated() {
            var r = 0
            while r < tokens.rows { tasks.append((p, r..<min(tokens.rows, r + batchRows))); r += batchRows }
        }
        var lineBases: [Int] = []
        var base = window.baseLine
        for tokens in parts { lineBases.append(base); base += tokens.lines }
        let escape = self.escape, nulls = self.nulls
        let bytes = window.bytes
        let columns = plan.columns
        let bases = lineBases
        let taskList = tasks
        let options = self.options
        let speculative = self.speculative
        let results: [Result<RecordBatch, IngestError>] = bytes.withUnsafeBufferPointer { buffer in
            let pointer = UnsafeSendable(buffer.baseAddress!)
            return _parallelMap(taskList.count, parallel: options.parallel) { t in
                let (p, rows) = taskList[t]
                let view = SpanColumnView(tokens: parts[p], bytes: pointer.value, escape: escape, nulls: nulls)
                var out: [Column] = []
                for column in columns {
                    do throws(SpanColumn.Mismatch) {
                        out.append(try view.column(column.source).convert(rows, as: column.type, strict: !column.forced))
                    } catch {
                        let line = bases[p] + Int(parts[p].rowLines[error.row]) + 1
                        if speculative && !column.forced {
                            return .failure(IngestError(.speculationFailed, "line \(line) does not fit the type the first window gave column \(column.name)"))
                        }
                        return .failure(Self.mismatchError(error, column: column, line: line, options: options))
                    }
                }
                do {
                    return .success(try RecordBatch(schema: schema, columns: out, count: rows.count))
                } catch {
                    return .failure(IngestError(.typeMismatch, "\(error)"))
                }
            }
        }
        var batches: [RecordBatch] = []
        for result in results {
            switch result {
            case .success(let batch): batches.append(batch)
            case .failure(let error): throw error
            }
        }
        return batches
    }

    private func emitJSON(_ records: JSONRecords, window: Window, plan: IngestPlan, schema: Schema) throws(IngestError) -> [RecordBatch] {
        let batchRows = max(1, options.batchRows)
        var batches: [RecordBatch] = []
        var r = 0
        while r < records.rows {
            let rows = r..<min(records.rows, r + batchRows)
            var out: [Column] = []
            for column in plan.columns {
                var converted: Result<Column, SpanColumn.Mismatch> = .success(.utf8(BinaryColumn([])))
                if column.source >= records.columns.count {
                    converted = .success((try? Column.nulls(column.dataType, count: rows.count)) ?? .utf8(BinaryColumn([])))
                } else {
                    records.withSpanColumn(column.source, nulls: nulls) { span in
                        if let kind = column.listKind {
                            converted = .success(JSONArrays.list(span, rows: rows, kind: kind))
                        } else {
                            do throws(SpanColumn.Mismatch) { converted = .success(try span.convert(rows, as: column.type, strict: !column.forced)) } catch { converted = .failure(error) }
                        }
                    }
                }
                switch converted {
                case .success(let c): out.append(c)
                case .failure(let error):
                    throw Self.mismatchError(error, column: column, line: window.baseLine + Int(records.rowLines[error.row]) + 1, options: options)
                }
            }
            do {
                batches.append(try RecordBatch(schema: schema, columns: out, count: rows.count))
            } catch {
                throw IngestError(.typeMismatch, "\(error)")
            }
            r = rows.upperBound
        }
        return batches
    }
}

/// A value handed to other threads whose owner guarantees it stays valid and unchanged while
/// they run (pointers into a window that outlives the parallel section).
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Hands batches to a writer on its own thread, one window at a time: `submit` waits until the
/// previous window is written (so at most two windows are in memory), then returns while the new
/// one is written.
final class _BackgroundWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "lakehouse.ingest.writer")
    private let group = DispatchGroup()
    // Written on `queue` only, read after `group.wait()`.
    private var failure: IngestError?
    private let emit: (RecordBatch) throws(IngestError) -> Void

    init(_ emit: @escaping (RecordBatch) throws(IngestError) -> Void) { self.emit = emit }

    func submit(_ batches: [RecordBatch]) throws(IngestError) {
        group.wait()
        if let failure { throw failure }
        group.enter()
        queue.async {
            defer { self.group.leave() }
            for batch in batches {
                do throws(IngestError) { try self.emit(batch) } catch { self.failure = error; return }
            }
        }
    }

    func finish() throws(IngestError) {
        group.wait()
        if let failure { throw failure }
    }
}
