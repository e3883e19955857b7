/// Tracks validity for a builder: allocates a bitmap only when the first null arrives.
@usableFromInline
struct _ValidityTracker: Sendable {
    @usableFromInline var bits: BitmapBuilder?
    @usableFromInline var count = 0

    @usableFromInline init() {}

    @inlinable
    mutating func appendValid() {
        bits?.append(true)
        count += 1
    }

    @inlinable
    mutating func appendNull() {
        if bits == nil {
            var builder = BitmapBuilder(capacity: count + 1)
            builder.append(true, count: count)
            bits = builder
        }
        bits!.append(false)
        count += 1
    }

    @inlinable
    mutating func finish() -> Bitmap? {
        defer { self = _ValidityTracker() }
        return bits?.finish()
    }
}

/// Builds a ``PrimitiveColumn`` by appending values and nulls; storage grows geometrically, with no
/// allocation per value.
///
/// ```swift
/// var builder = PrimitiveColumnBuilder<Int64>()
/// builder.append(7); builder.appendNull()
/// let column = builder.finish()   // [7, NULL]
/// ```
public struct PrimitiveColumnBuilder<Value: FixedWidthValue>: Sendable {
    @usableFromInline var values: [Value] = []
    @usableFromInline var validity = _ValidityTracker()

    /// Creates a builder with room for `capacity` rows.
    public init(capacity: Int = 0) { values.reserveCapacity(capacity) }

    /// The number of rows appended so far.
    public var count: Int { values.count }

    /// Appends a present value.
    @inlinable
    public mutating func append(_ value: Value) {
        values.append(value)
        validity.appendValid()
    }

    /// Appends a null.
    @inlinable
    public mutating func appendNull() {
        values.append(.zero)
        validity.appendNull()
    }

    /// Appends `value`, or a null when it is `nil`.
    @inlinable
    public mutating func append(_ value: Value?) {
        if let value { append(value) } else { appendNull() }
    }

    /// The column built so far; the builder is left empty.
    public mutating func finish() -> PrimitiveColumn<Value> {
        let column = PrimitiveColumn(values: ValueBuffer(values), validity: validity.finish())
        values = []
        return column
    }
}

/// Builds a ``BooleanColumn``.
public struct BooleanColumnBuilder: Sendable {
    @usableFromInline var values = BitmapBuilder()
    @usableFromInline var validity = _ValidityTracker()

    /// Creates a builder with room for `capacity` rows.
    public init(capacity: Int = 0) { values = BitmapBuilder(capacity: capacity) }

    /// The number of rows appended so far.
    public var count: Int { values.count }

    /// Appends `value`, or a null when it is `nil`.
    @inlinable
    public mutating func append(_ value: Bool?) {
        values.append(value ?? false)
        if value == nil { validity.appendNull() } else { validity.appendValid() }
    }

    /// The column built so far; the builder is left empty.
    public mutating func finish() -> BooleanColumn {
        BooleanColumn(values: values.finish(), validity: validity.finish())
    }
}

/// Builds a ``BinaryColumn`` (text or bytes) into one growing byte buffer.
///
/// ```swift
/// var builder = BinaryColumnBuilder()
/// builder.append("alpha"); builder.appendNull()
/// let column = builder.finish()
/// ```
public struct BinaryColumnBuilder: Sendable {
    @usableFromInline var offsets: ValueBufferBuilder<Int32>
    @usableFromInline var bytes: ValueBufferBuilder<UInt8>
    @usableFromInline var validity = _ValidityTracker()

    /// Creates a builder with room for `capacity` rows and `byteCapacity` bytes.
    public init(capacity: Int = 0, byteCapacity: Int = 0) {
        offsets = ValueBufferBuilder(capacity: capacity + 1)
        offsets.append(0)
        bytes = ValueBufferBuilder(capacity: byteCapacity)
    }

    /// The number of rows appended so far.
    public var count: Int { offsets.count - 1 }

    /// The number of bytes appended so far.
    public var byteCount: Int { bytes.count }

    /// Ensures room for `rows` more rows and `bytes` more bytes without reallocating.
    public mutating func reserveCapacity(rows: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(offsets.count + rows)
        bytes.reserveCapacity(bytes.count + byteCount)
    }

    @inlinable
    mutating func closeRow() {
        // Columns address bytes with 32-bit offsets; producers split batches well before 2 GiB.
        precondition(bytes.count <= Int(Int32.max), "a binary column batch exceeds 2 GiB; split it into smaller batches")
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
    }

    /// Appends the UTF-8 bytes of `string`.
    @inlinable
    public mutating func append(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
        closeRow()
        validity.appendValid()
    }

    /// Appends raw bytes.
    @inlinable
    public mutating func append(bytes value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
        closeRow()
        validity.appendValid()
    }

    /// Appends the bytes behind a pointer.
    @inlinable
    public mutating func append(bytes value: UnsafeRawBufferPointer) {
        if let source = value.baseAddress { bytes.append(unalignedBytes: source, count: value.count) }
        closeRow()
        validity.appendValid()
    }

    /// Appends a null (an empty row marked absent).
    @inlinable
    public mutating func appendNull() {
        closeRow()
        validity.appendNull()
    }

    /// The column built so far, without copying its buffers; the builder is left empty.
    public mutating func finish() -> BinaryColumn {
        let column = BinaryColumn(unchecked: offsets.finish(), bytes: bytes.finish(), validity: validity.finish())
        offsets.append(0)
        return column
    }
}
