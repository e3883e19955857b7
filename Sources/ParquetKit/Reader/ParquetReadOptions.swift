import ColumnarCore

/// Choices a reader makes where Parquet leaves room for interpretation.
///
/// ```swift
/// var options = ParquetReadOptions()
/// options.int96 = .wide   // Spark's year-9999 INT96 timestamps, exactly
/// let reader = try ParquetFileReader(source: LocalFileByteSource(path: path), options: options)
/// ```
public struct ParquetReadOptions: Sendable, Hashable {
    /// How legacy INT96 timestamps (Impala, Hive, old Spark) are represented.
    public enum Int96Representation: Sendable, Hashable {
        /// A 64-bit ``DataType/timestamp(_:timeZone:)`` in `unit` (nanoseconds by default):
        /// digits below the unit are dropped (rounding toward the past, as pyarrow's
        /// `coerce_int96_timestamp_unit` does), and a value the unit cannot hold — nanoseconds
        /// cover only 1677-09-21 to 2262-04-11 — throws `.valueOutOfRange` naming it, instead of
        /// wrapping around as pyarrow does.
        case timestamp(TimeUnit)
        /// A 128-bit ``DataType/wideTimestamp(timeZone:)`` in nanoseconds: every INT96 value
        /// exactly, whatever its year.
        case wide
    }

    /// How INT96 columns are read; `.timestamp(.nanosecond)` by default.
    public var int96: Int96Representation = .timestamp(.nanosecond)

    /// Whether a flat text column chunk whose pages are all dictionary-encoded is returned as a
    /// ``DictionaryColumn`` (indices into the chunk's dictionary, no string copied) rather than
    /// decoded to plain text; true by default. Chunks with a fallback page are always decoded.
    public var keepDictionaries = true

    /// The default options.
    public init() {}
}
