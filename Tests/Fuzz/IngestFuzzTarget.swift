// libFuzzer target for the Ingest readers: CSV sniffing and tokenizing (whole, and cut into
// windows at an arbitrary point), type inference and conversion of every column, and JSON
// records with inference and conversion. Built by Scripts/fuzz_ingest.sh, outside the package
// (with ColumnarCore's sources and the readers' files in one module, under AddressSanitizer).
// Any crash, trap or out-of-bounds access is a bug: bad input must only ever give an error.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    let nulls = NullMatcher(["NULL", "null", "NA"])
    var options = CSVOptions()
    options.raggedRows = [.error, .pad, .skip][Int(control % 3)]
    input.withUnsafeBufferPointer { buffer in
        // CSV: sniff, then tokenize the whole input and a first window cut at a control-chosen point.
        let sniffed = CSVSniffer(options: options, nulls: nulls).sniff(buffer, start: 0, atEnd: true)
        let tokenizer = CSVTokenizer(dialect: sniffed.dialect, ragged: options.raggedRows)
        let start = min(sniffed.dataOffset, buffer.count)
        let whole = tokenizer.tokenize(buffer, range: start..<buffer.count, atEnd: true, columns: sniffed.columns)
        let cut = start + (buffer.count - start) * Int(control >> 2) / 64
        let first = tokenizer.tokenize(buffer, range: start..<min(max(cut, start), buffer.count), atEnd: false, columns: sniffed.columns)
        precondition(first.endOffset >= start && first.endOffset <= buffer.count)
        if whole.error == nil, let base = buffer.baseAddress {
            let escape: EscapeKind = sniffed.dialect.escape == sniffed.dialect.quote ? .doubledQuote(sniffed.dialect.quote) : .backslash(sniffed.dialect.escape)
            let view = SpanColumnView(tokens: whole, bytes: base, escape: escape, nulls: nulls)
            for c in 0..<max(whole.columns, 0) where whole.rows > 0 {
                var inference = ColumnInference()
                view.column(c).infer(0..<whole.rows, into: &inference)
                let type = inference.resolve(ambiguousDates: control & 1 == 0 ? .monthFirst : .dayFirst)
                // The inferred type must convert every value of the column.
                do throws(SpanColumn.Mismatch) {
                    _ = try view.column(c).convert(0..<whole.rows, as: type, strict: true)
                } catch {
                    fatalError("column \(c) inferred as \(type) but row \(error.row) ('\(error.text)') does not convert")
                }
            }
        }
    }
    // JSON: the same bytes as records.
    let records = JSONRecords()
    records.parse(input, start: 0, atEnd: true, firstWindow: true)
    if records.error == nil && records.rows > 0 {
        for c in 0..<records.columns.count {
            records.withSpanColumn(c, nulls: nulls) { span in
                var arrays = false
                for i in 0..<records.rows where span.flags[i] & JSONRecords.array != 0 { arrays = true }
                if arrays {
                    let kind = JSONArrays.kind(span, rows: 0..<records.rows, arrayFlag: JSONRecords.array)
                    if kind != .json { _ = JSONArrays.list(span, rows: 0..<records.rows, kind: kind) }
                    _ = span.text(0..<records.rows)
                } else {
                    var inference = ColumnInference()
                    span.infer(0..<records.rows, into: &inference)
                    let type = inference.resolve(ambiguousDates: .monthFirst)
                    do throws(SpanColumn.Mismatch) {
                        _ = try span.convert(0..<records.rows, as: type, strict: true)
                    } catch {
                        fatalError("JSON column \(c) inferred as \(type) but row \(error.row) ('\(error.text)') does not convert")
                    }
                }
            }
        }
    }
    return 0
}
