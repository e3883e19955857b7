/// Finds a CSV file's dialect and header from its first bytes, as a person would: the delimiter
/// that splits the lines into the same number of fields, the quoting the fields use, and whether
/// the first row names the columns (its values do not fit the types of the values below).
struct CSVSniffer {
    var options: CSVOptions
    var nulls: NullMatcher

    struct Result {
        var dialect: CSVDialect
        var columns: Int
        var header: Bool
        /// The header's field texts (or nil when there is none).
        var names: [String]?
        /// Where the data starts (after the header, when there is one), in the sample.
        var dataOffset: Int
        /// Lines before the data.
        var dataLine: Int
    }

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    func sniff(_ sample: UnsafeBufferPointer<UInt8>, start: Int, atEnd: Bool) -> Result {
        var base = CSVDialect()
        base.skipBlankLines = options.skipBlankLines
        base.commentPrefix = options.commentPrefix
        if base.commentPrefix == nil, start < sample.count, sample[start] == UInt8(ascii: "#") { base.commentPrefix = UInt8(ascii: "#") }
        base.quote = options.quote ?? sniffQuote(sample, start)
        base.escape = options.escape ?? sniffEscape(sample, start, quote: base.quote)
        if let delimiter = options.delimiter { base.delimiter = delimiter }
        // The delimiter: the one giving the most rows of a consistent width above one field.
        // When none does (ragged rows in a file read with `.pad` or `.skip`, a malformed record
        // in the sample), the one splitting the most records before any error into more than
        // one field, most of them of one width: the tokenizer then reports the ragged or
        // malformed record where it is, instead of reading the file as one column.
        var best: (dialect: CSVDialect, rows: Int, columns: Int)?
        var fallback: (dialect: CSVDialect, records: Int, columns: Int)?
        for delimiter in options.delimiter.map({ [$0] }) ?? Self.candidates {
            var dialect = base
            dialect.delimiter = delimiter
            let tokens = CSVTokenizer(dialect: dialect, ragged: .skip).tokenize(sample, range: start..<sample.count, atEnd: atEnd, columns: 0,
                                                                                maxRows: 200)
            let rows = tokens.rows
            guard tokens.columns > 1 || options.delimiter != nil, rows > 0 else { continue }
            let records = rows + tokens.skipped
            if tokens.skipped < rows, fallback == nil || records > fallback!.records || (records == fallback!.records && tokens.columns > fallback!.columns) {
                fallback = (dialect, records, tokens.columns)
            }
            guard tokens.error == nil, tokens.skipped * 10 <= rows else { continue }
            if best == nil || rows > best!.rows || (rows == best!.rows && tokens.columns > best!.columns) {
                best = (dialect, rows, tokens.columns)
            }
        }
        let dialect = best?.dialect ?? fallback?.dialect ?? base
        let tokens = CSVTokenizer(dialect: dialect, ragged: .skip).tokenize(sample, range: start..<sample.count, atEnd: atEnd, columns: 0, maxRows: 200)
        let columns = max(tokens.columns, 1)
        var header = options.header ?? true
        let escape: EscapeKind = dialect.escape == dialect.quote ? .doubledQuote(dialect.quote) : .backslash(dialect.escape)
        var names: [String] = []
        if tokens.rows > 0 {
            let view = SpanColumnView(tokens: tokens, bytes: sample.baseAddress!, escape: escape, nulls: nulls)
            for c in 0..<columns {
                var text: [UInt8] = []
                view.column(c).appendText(0, to: &text)
                names.append(String(decoding: text, as: UTF8.self))
            }
            if options.header == nil {
                header = Self.looksLikeHeader(view, columns: columns, rows: tokens.rows)
            }
        }
        var dataOffset = start
        var dataLine = 0
        if header && tokens.rows > 0 {
            let first = CSVTokenizer(dialect: dialect, ragged: .skip).tokenize(sample, range: start..<sample.count, atEnd: atEnd, columns: 0, maxRows: 1)
            dataOffset = first.endOffset
            dataLine = first.lines
        }
        return Result(dialect: dialect, columns: columns, header: header && tokens.rows > 0, names: header ? names : nil,
                      dataOffset: dataOffset, dataLine: dataLine)
    }

    /// A header row has a value that does not fit its column's type, where the rows below give
    /// the column a type other than text; a file whose columns are all text has a header when
    /// its first row's values are distinct and non-empty (DuckDB's rule of thumb).
    static func looksLikeHeader(_ view: SpanColumnView, columns: Int, rows: Int) -> Bool {
        guard rows > 1 else {
            // One row: a header unless a value looks like data (a number or a date).
            for c in 0..<columns {
                var inference = ColumnInference()
                view.column(c).infer(0..<1, into: &inference)
                if inference.nulls > 0 || inference.resolve(ambiguousDates: .monthFirst) != .text { return false }
            }
            return true
        }
        var typedColumns = 0
        for c in 0..<columns {
            let column = view.column(c)
            var below = ColumnInference()
            column.infer(1..<rows, into: &below)
            let type = below.resolve(ambiguousDates: .monthFirst)
            guard type != .text else { continue }
            typedColumns += 1
            var first = ColumnInference()
            column.infer(0..<1, into: &first)
            if first.nulls > 0 { continue }
            var both = below
            both.merge(first)
            if both.resolve(ambiguousDates: .monthFirst) == .text { return true }
        }
        if typedColumns > 0 { return false }
        var seen = Set<[UInt8]>()
        for c in 0..<columns {
            let column = view.column(c)
            if column.isNull(0, text: true) { return false }
            var text: [UInt8] = []
            column.appendText(0, to: &text)
            guard seen.insert(text).inserted else { return false }
        }
        return true
    }

    private func sniffQuote(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt8 {
        var double = 0, single = 0
        for k in start..<s.count {
            if s[k] == 0x22 { double += 1 } else if s[k] == 0x27, k == start || Self.candidates.contains(s[k - 1]) { single += 1 }
        }
        return double == 0 && single > 0 ? 0x27 : 0x22
    }

    private func sniffEscape(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, quote: UInt8) -> UInt8 {
        var backslashed = 0
        var k = start
        while k + 1 < s.count {
            if s[k] == 0x5C && s[k + 1] == quote { backslashed += 1 }
            k += 1
        }
        // `\"` in a file quoting with `"` is backslash escaping when the next byte does not end
        // the field (in a doubling file `\"` ends a field whose text ends with a backslash).
        guard backslashed > 0 else { return quote }
        var doubled = 0
        k = start
        while k + 2 < s.count {
            if s[k] == quote && s[k + 1] == quote && s[k + 2] != UInt8(ascii: ",") && s[k + 2] != 0x0A && s[k - (k > 0 ? 1 : 0)] != UInt8(ascii: ",") { doubled += 1 }
            k += 1
        }
        return doubled == 0 ? 0x5C : quote
    }
}

/// The columns of CSV tokens as ``SpanColumn``s.
struct SpanColumnView {
    let tokens: CSVTokens
    let bytes: UnsafePointer<UInt8>
    let escape: EscapeKind
    let nulls: NullMatcher

    func column(_ c: Int) -> SpanColumn {
        SpanColumn(bytes: bytes, starts: UnsafePointer(tokens.starts.base + c), ends: UnsafePointer(tokens.ends.base + c),
                   flags: UnsafePointer(tokens.flags.base + c), stride: max(tokens.columns, 1), count: tokens.rows, escape: escape, nulls: nulls)
    }
}
