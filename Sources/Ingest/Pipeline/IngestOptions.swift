import ColumnarCore

/// How a file is read and turned into a dataset. Every setting has a default that works for
/// real-world exports; a user sets only what the file gets wrong.
///
/// ```swift
/// var options = IngestOptions()
/// options.columnTypes = ["zip": .utf8]           // never a number
/// options.rename = ["E-mail": "email"]
/// options.primaryKey = ["email"]
/// ```
public struct IngestOptions: Sendable {
    /// The file's format; nil detects it from the extension (`.csv`, `.tsv`, `.txt`, `.json`,
    /// `.jsonl`, `.ndjson`) and then from the first bytes.
    public var format: Format?
    /// CSV settings (each nil setting is sniffed from the file).
    public var csv = CSVOptions()
    /// Texts read as null in any column (after trimming nothing: `" NA"` is not `NA`). The empty
    /// field is always null in CSV.
    public var nullTokens: Set<String> = ["NULL", "null", "NA"]
    /// Column types forced by name (after renaming); a value that does not fit is an error naming
    /// its line and column.
    public var columnTypes: [String: DataType] = [:]
    /// New names for columns, by the name in the file.
    public var rename: [String: String] = [:]
    /// The dataset's primary key (for a new dataset).
    public var primaryKey: [String] = []
    /// A description for a new dataset.
    public var description: String?
    /// Ambiguous dates such as `03/04/2026` (every value of the column has day and month ≤ 12):
    /// month first (US) or day first (most of Europe).
    public var ambiguousDates: DateOrder = .monthFirst
    /// Invalid UTF-8: an error naming the byte offset, or replacement by U+FFFD.
    public var invalidUTF8: InvalidUTF8Policy = .error
    /// Rows (and JSON values) per batch handed to the writer.
    public var batchRows = 65_536
    /// Bytes read and parsed at a time: memory use is a small multiple of this, whatever the
    /// file's size.
    public var windowBytes = 64 << 20
    /// Parses windows of a CSV file on several cores.
    public var parallel = true

    public init() {}

    public enum Format: String, Sendable {
        case csv
        /// Newline-delimited JSON, or a top-level array of objects.
        case json
    }

    public enum DateOrder: Sendable {
        case monthFirst
        case dayFirst
    }

    public enum InvalidUTF8Policy: Sendable {
        case error
        case replace
    }
}

/// CSV dialect settings; nil means sniffed from the first lines of the file.
public struct CSVOptions: Sendable {
    /// `,` `;` tab or `|`.
    public var delimiter: UInt8?
    /// The quote character (`"` by default; `'` is sniffed too).
    public var quote: UInt8?
    /// The escape inside quotes: the quote itself (RFC 4180's `""`), or `\`.
    public var escape: UInt8?
    /// Whether the first record is a header.
    public var header: Bool?
    /// Lines starting with this byte are skipped (`#`), when set.
    public var commentPrefix: UInt8?
    /// Skips lines with nothing on them.
    public var skipBlankLines = true
    /// Rows with more or fewer fields than the header.
    public var raggedRows: RaggedRowPolicy = .error

    public init() {}

    public enum RaggedRowPolicy: Sendable {
        /// An error naming the line.
        case error
        /// Short rows are padded with nulls; a row with extra fields is still an error (nothing
        /// is dropped silently).
        case pad
        /// Rows with the wrong number of fields are skipped and counted in the result.
        case skip
    }
}
