#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV dialect: what separates, quotes and escapes fields.
struct CSVDialect: Sendable, Hashable {
    var delimiter: UInt8 = UInt8(ascii: ",")
    var quote: UInt8 = UInt8(ascii: "\"")
    /// Equal to `quote` for RFC 4180 doubling (`""`), else `\`.
    var escape: UInt8 = UInt8(ascii: "\"")
    var commentPrefix: UInt8?
    var skipBlankLines = true

    /// Whether a window can be split between cores by quote parity (every quote toggles the
    /// quoted state only when escapes are doubled quotes).
    var splittable: Bool { escape == quote }
}

/// The fields of the records in part of a window: for each field, where its text starts and
/// ends (inside the quotes) and whether it was quoted or holds escapes; for each row, the line it
/// starts on. Rows are dense: every row has exactly `columns` fields.
final class CSVTokens: @unchecked Sendable {
    static let quoted: UInt8 = 1
    static let escaped: UInt8 = 2
    /// A field a short row lacked (padding): null.
    static let missing: UInt8 = 4

    let starts = _Growable<UInt32>(capacity: 1 << 16)
    let ends = _Growable<UInt32>(capacity: 1 << 16)
    let flags = _Growable<UInt8>(capacity: 1 << 16)
    /// Line of each row's first byte, counted from the part's start (0-based).
    let rowLines = _Growable<Int32>(capacity: 1 << 12)
    var columns: Int
    /// Line breaks consumed before `endOffset`.
    var lines = 0
    /// Where the tokenizer stopped: the start of the first record it did not finish (the end of
    /// the range when it finished them all).
    var endOffset = 0
    /// Rows skipped for having the wrong number of fields.
    var skipped = 0
    var error: Failure?

    struct Failure: Sendable {
        var code: IngestError.Code
        var message: String
        /// The line (0-based, relative to the part), the field (0-based) and the byte offset (in the window).
        var line: Int
        var field: Int?
        var offset: Int
    }

    init(columns: Int) { self.columns = columns }

    var rows: Int { rowLines.count }
}

/// Splits CSV bytes into fields with a byte-class table: unquoted runs are scanned until the next
/// delimiter or line break; quoted fields until their closing quote. It never allocates per field.
struct CSVTokenizer {
    let dialect: CSVDialect
    let ragged: CSVOptions.RaggedRowPolicy
    private var classes: [UInt8]

    private static let plain: UInt8 = 0, delimiter: UInt8 = 1, lf: UInt8 = 2, cr: UInt8 = 3

    init(dialect: CSVDialect, ragged: CSVOptions.RaggedRowPolicy) {
        self.dialect = dialect
        self.ragged = ragged
        var table = [UInt8](repeating: Self.plain, count: 256)
        table[Int(dialect.delimiter)] = Self.delimiter
        table[0x0A] = Self.lf
        table[0x0D] = Self.cr
        classes = table
    }

    /// The line breaks in `base[from..<to]`: each `\n`, and each `\r` not followed by `\n`.
    @inline(__always)
    static func lineBreaks(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard from < to else { return 0 }
        var count = 0
        var k = from
        while k < to, let hit = memchr(base + k, 0x0A, to - k) {
            count += 1
            k = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        k = from
        while k < to, let hit = memchr(base + k, 0x0D, to - k) {
            let r = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if r + 1 >= to || base[r + 1] != 0x0A { count += 1 }
            k = r + 1
        }
        return count
    }

    /// Tokenizes the records of `bytes[range]`.
    ///
    /// - Parameters:
    ///   - atEnd: The range ends the file: a last record without a line break is complete, and an
    ///     open quote is an error. Otherwise an unfinished last record is left for the next window.
    ///   - columns: The number of fields a row must have (0: the first row decides).
    func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, atEnd: Bool, columns: Int, maxRows: Int = .max) -> CSVTokens {
        let tokens = CSVTokens(columns: columns)
        guard let base = bytes.baseAddress else { return tokens }
        let end = range.upperBound
        let delimiter = dialect.delimiter, quote = dialect.quote, escape = dialect.escape
        let doubling = escape == quote
        var position = range.lowerBound
        var line = 0
        tokens.endOffset = range.lowerBound
        classes.withUnsafeBufferPointer { classTable in
            let table = classTable.baseAddress!
            recordLoop: while position < end && tokens.rowLines.count < maxRows {
                let recordStart = position
                let recordLine = line
                let first = base[position]
                // Blank and comment lines.
                if first == 0x0A || first == 0x0D, dialect.skipBlankLines {
                    position += (first == 0x0D && position + 1 < end && base[position + 1] == 0x0A) ? 2 : 1
                    if first == 0x0D && position == end && !atEnd && end < bytes.count { position -= 1; break recordLoop }
                    line += 1
                    tokens.endOffset = position
                    tokens.lines = line
                    continue
                }
                if let comment = dialect.commentPrefix, first == comment {
                    var p = position
                    while p < end && base[p] != 0x0A && base[p] != 0x0D { p += 1 }
                    if p == end && !atEnd { break recordLoop }
                    if p < end { p += (base[p] == 0x0D && p + 1 < end && base[p + 1] == 0x0A) ? 2 : 1 }
                    position = p
                    line += 1
                    tokens.endOffset = position
                    tokens.lines = line
                    continue
                }
                let fieldMark = tokens.starts.count
                var fields = 0
                fieldLoop: while true {
                    var flag: UInt8 = 0
                    let fieldStart: Int
                    let fieldEnd: Int
                    if position < end && base[position] == quote {
                        flag = CSVTokens.quoted
                        position += 1
                        fieldStart = position
                        var closed = -1
                        if doubling {
                            // Jump from quote to quote (memchr is vectorised), counting the line
                            // breaks skipped over.
                            while position < end {
                                guard let hit = memchr(base + position, Int32(quote), end - position) else {
                                    line += Self.lineBreaks(base, position, end)
                                    position = end
                                    break
                                }
                                let q = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                                line += Self.lineBreaks(base, position, q)
                                if q + 1 < end && base[q + 1] == quote {
                                    flag |= CSVTokens.escaped
                                    position = q + 2
                                    continue
                                }
                                if q + 1 == end && !atEnd { position = end; break }   // may be "" across the window's end
                                closed = q
                                position = q + 1
                                break
                            }
                        } else {
                            while position < end {
                                let b = base[position]
                                if b == quote {
                                    closed = position
                                    position += 1
                                    break
                                } else if b == escape {
                                    flag |= CSVTokens.escaped
                                    position += 2
                                    continue
                                } else if b == 0x0A {
                                    line += 1
                                } else if b == 0x0D && (position + 1 >= end || base[position + 1] != 0x0A) {
                                    line += 1
                                }
                                position += 1
                            }
                            if position > end { position = end }
                        }
                        if closed < 0 {
                            if atEnd {
                                tokens.error = .init(code: .malformedCSV, message: "a quoted field is never closed (the file ends inside quotes)",
                                                     line: recordLine, field: fields, offset: fieldStart - 1)
                            }
                            break recordLoop
                        }
                        fieldEnd = closed
                        // Spaces may follow the closing quote; anything else is an error.
                        while position < end && (base[position] == 0x20 || base[position] == 0x09) && base[position] != delimiter { position += 1 }
                        if position < end {
                            let c = table[Int(base[position])]
                            if c == Self.plain {
                                tokens.error = .init(code: .malformedCSV,
                                                     message: "unexpected text after a closing quote (a quote inside a quoted field must be doubled)",
                                                     line: line, field: fields, offset: position)
                                break recordLoop
                            }
                        }
                    } else {
                        fieldStart = position
                        while position < end && table[Int(base[position])] == Self.plain { position += 1 }
                        fieldEnd = position
                    }
                    tokens.starts.append(UInt32(truncatingIfNeeded: fieldStart))
                    tokens.ends.append(UInt32(truncatingIfNeeded: fieldEnd))
                    tokens.flags.append(flag)
                    fields += 1
                    if position >= end {
                        if !atEnd { break recordLoop }
                        break fieldLoop
                    }
                    let c = table[Int(base[position])]
                    if c == Self.delimiter {
                        position += 1
                        if position == end {
                            if !atEnd { break recordLoop }
                            // A trailing delimiter at the end of the file: one more empty field.
                            tokens.starts.append(UInt32(truncatingIfNeeded: position))
                            tokens.ends.append(UInt32(truncatingIfNeeded: position))
                            tokens.flags.append(0)
                            fields += 1
                            break fieldLoop
                        }
                        continue fieldLoop
                    }
                    // A line break ends the record.
                    if c == Self.cr {
                        if position + 1 < end {
                            position += base[position + 1] == 0x0A ? 2 : 1
                        } else if atEnd || end == bytes.count && atEnd {
                            position += 1
                        } else {
                            break recordLoop   // "\r" at the window's end: "\n" may follow
                        }
                    } else {
                        position += 1
                    }
                    line += 1
                    break fieldLoop
                }
                // The record is complete: check its width.
                if tokens.columns == 0 { tokens.columns = fields }
                if fields != tokens.columns {
                    if fields == 1 && tokens.starts[fieldMark] == tokens.ends[fieldMark] && tokens.flags[fieldMark] == 0 {
                        // An empty line when blank lines are kept: a row of nulls only for one column.
                        if tokens.columns > 1 {
                            tokens.starts.truncate(fieldMark); tokens.ends.truncate(fieldMark); tokens.flags.truncate(fieldMark)
                            tokens.endOffset = position
                            tokens.lines = line
                            continue recordLoop
                        }
                    }
                    switch ragged {
                    case .error:
                        // The column named is the first one missing, or the first extra field.
                        tokens.error = .init(code: .raggedRow, message: "the row has \(fields) fields where the first row has \(tokens.columns)",
                                             line: recordLine, field: min(fields, tokens.columns), offset: recordStart)
                        break recordLoop
                    case .pad where fields < tokens.columns:
                        for _ in fields..<tokens.columns {
                            tokens.starts.append(UInt32(truncatingIfNeeded: position))
                            tokens.ends.append(UInt32(truncatingIfNeeded: position))
                            tokens.flags.append(CSVTokens.missing)
                        }
                    case .pad:
                        tokens.error = .init(code: .raggedRow,
                                             message: "the row has \(fields) fields where the first row has \(tokens.columns); extra fields are never dropped",
                                             line: recordLine, field: tokens.columns, offset: recordStart)
                        break recordLoop
                    case .skip:
                        tokens.starts.truncate(fieldMark); tokens.ends.truncate(fieldMark); tokens.flags.truncate(fieldMark)
                        tokens.skipped += 1
                        tokens.endOffset = position
                        tokens.lines = line
                        continue recordLoop
                    }
                }
                tokens.rowLines.append(Int32(truncatingIfNeeded: recordLine))
                tokens.endOffset = position
                tokens.lines = line
            }
        }
        // Drop the fields of an unfinished record.
        let complete = tokens.rows * max(tokens.columns, 0)
        if tokens.starts.count > complete {
            tokens.starts.truncate(complete); tokens.ends.truncate(complete); tokens.flags.truncate(complete)
        }
        return tokens
    }
}
