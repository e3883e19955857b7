import ColumnarCore

/// The logical type annotation of a schema node (Parquet's `LogicalType` union).
public enum LogicalType: Hashable, Sendable, CustomStringConvertible {
    /// UTF-8 text.
    case string
    /// A map group.
    case map
    /// A list group.
    case list
    /// Text from a fixed set.
    case `enum`
    /// An exact decimal.
    case decimal(precision: Int, scale: Int)
    /// Days since the epoch.
    case date
    /// Time of day.
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// An instant (UTC-adjusted) or a wall-clock date-time.
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    /// An integer of a given width and signedness.
    case integer(bitWidth: Int, isSigned: Bool)
    /// Always null.
    case unknown
    /// JSON text.
    case json
    /// BSON bytes.
    case bson
    /// A 16-byte UUID.
    case uuid
    /// IEEE half precision in 2 bytes.
    case float16
    /// A Variant value.
    case variant
    /// Well-known-binary geometry.
    case geometry
    /// Well-known-binary geography.
    case geography
    /// A union member this reader does not know, by field id.
    case other(id: Int)

    /// The specification's spelling, e.g. `DECIMAL(10,2)`.
    public var description: String {
        switch self {
        case .string: return "STRING"
        case .map: return "MAP"
        case .list: return "LIST"
        case .enum: return "ENUM"
        case .decimal(let p, let s): return "DECIMAL(\(p),\(s))"
        case .date: return "DATE"
        case .time(let utc, let unit): return "TIME(\(unit.abbreviation), utc=\(utc))"
        case .timestamp(let utc, let unit): return "TIMESTAMP(\(unit.abbreviation), utc=\(utc))"
        case .integer(let bits, let signed): return "INTEGER(\(bits), \(signed ? "signed" : "unsigned"))"
        case .unknown: return "UNKNOWN"
        case .json: return "JSON"
        case .bson: return "BSON"
        case .uuid: return "UUID"
        case .float16: return "FLOAT16"
        case .variant: return "VARIANT"
        case .geometry: return "GEOMETRY"
        case .geography: return "GEOGRAPHY"
        case .other(let id): return "LOGICAL(\(id))"
        }
    }
}
