/// ULEB128 and ZigZag, shared by the Thrift decoder and the encodings.
enum VarInt {
    /// Why a varint could not be read.
    enum Failure: Error {
        case ended
        case tooLong
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes at `position`, advancing it.
    static func read(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> Result<UInt64, Failure> {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count else { return .failure(.ended) }
            let byte = bytes[position]
            position += 1
            guard shift < 64 else { return .failure(.tooLong) }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return .success(result) }
            shift += 7
        }
    }

    /// The signed value of a ZigZag-encoded unsigned one.
    static func unzigzag(_ raw: UInt64) -> Int64 {
        Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
