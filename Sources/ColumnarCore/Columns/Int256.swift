/// A signed 256-bit two's-complement integer: the unscaled value of a ``DataType/decimal256(precision:scale:)``.
///
/// Only what wide decimals need: construction from narrower integers, big-endian bytes and
/// text, negation, ordering, hashing and exact decimal text. Arithmetic on wide decimals is not
/// offered (kernels throw `unsupportedType`).
///
/// ```swift
/// let big = Int256("-12345678901234567890123456789012345678901234567890")!
/// big.description   // the same digits
/// ```
@frozen
public struct Int256: Sendable, Hashable, Comparable, BitwiseCopyable, CustomStringConvertible {
    /// The low 128 bits.
    public var low: UInt128
    /// The high 128 bits, carrying the sign.
    public var high: Int128

    /// The value with the given halves.
    @inlinable
    public init(high: Int128, low: UInt128) {
        self.high = high
        self.low = low
    }

    /// `value`, sign-extended.
    @inlinable
    public init(_ value: Int128) {
        self.init(high: value < 0 ? -1 : 0, low: UInt128(truncatingIfNeeded: value))
    }

    /// `value`, sign-extended.
    @inlinable
    public init(_ value: Int64) {
        self.init(Int128(value))
    }

    /// Zero.
    public static let zero = Int256(high: 0, low: 0)

    /// Whether the value is below zero.
    @inlinable
    public var isNegative: Bool { high < 0 }

    /// The value as an `Int128`, or `nil` when it does not fit.
    @inlinable
    public var int128: Int128? {
        let candidate = Int128(truncatingIfNeeded: low)
        return Int256(candidate) == self ? candidate : nil
    }

    /// The two's-complement negation (wrapping at the minimum, whose negation is itself).
    @inlinable
    public static prefix func - (value: Int256) -> Int256 {
        let inverted = Int256(high: ~value.high, low: ~value.low)
        let (low, carry) = inverted.low.addingReportingOverflow(1)
        return Int256(high: inverted.high &+ (carry ? 1 : 0), low: low)
    }

    @inlinable
    public static func < (lhs: Int256, rhs: Int256) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }

    /// Reads a big-endian two's-complement integer of 1 to 32 bytes (Parquet's DECIMAL layout).
    ///
    /// - Returns: `nil` for an empty input or one longer than 32 bytes whose extra leading bytes
    ///   are not a sign extension.
    public init?(bigEndianTwosComplement bytes: some Collection<UInt8>) {
        guard let first = bytes.first else { return nil }
        let fill: UInt8 = first & 0x80 != 0 ? 0xFF : 0
        guard bytes.dropLast(32).allSatisfy({ $0 == fill }) else { return nil }
        // The kept 32 bytes must carry the same sign as the dropped extension.
        if bytes.count > 32, let kept = bytes.suffix(32).first, (kept & 0x80 != 0) != (fill != 0) { return nil }
        var words = [UInt64](repeating: fill == 0 ? 0 : .max, count: 4)  // little-endian words
        for (position, byte) in bytes.suffix(32).reversed().enumerated() {
            let word = position / 8
            let shift = UInt64(position % 8) * 8
            words[word] = words[word] & ~(0xFF << shift) | UInt64(byte) << shift
        }
        self.init(words: words)
    }

    /// The value from four little-endian 64-bit words.
    init(words: [UInt64]) {
        low = UInt128(words[1]) << 64 | UInt128(words[0])
        high = Int128(bitPattern: UInt128(words[3]) << 64 | UInt128(words[2]))
    }

    /// The magnitude as four little-endian 64-bit words.
    var magnitudeWords: [UInt64] {
        let positive = isNegative ? -self : self
        let high = UInt128(bitPattern: positive.high)
        return [UInt64(truncatingIfNeeded: positive.low), UInt64(truncatingIfNeeded: positive.low >> 64),
                UInt64(truncatingIfNeeded: high), UInt64(truncatingIfNeeded: high >> 64)]
    }

    /// The exact decimal digits, with `-` for negative values.
    public var description: String {
        var words = magnitudeWords
        var chunks: [UInt64] = []  // base 10^19, least significant first
        let base: UInt64 = 10_000_000_000_000_000_000
        while words.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for index in stride(from: 3, through: 0, by: -1) {
                let (quotient, rest) = base.dividingFullWidth((remainder, words[index]))
                words[index] = quotient
                remainder = rest
            }
            chunks.append(remainder)
        }
        guard let top = chunks.popLast() else { return "0" }
        var text = isNegative ? "-" : ""
        text += String(top)
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }

    /// Parses optional sign and decimal digits; `nil` for anything else or a value beyond 256 bits.
    public init?(_ text: some StringProtocol) {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var words: [UInt64] = [0, 0, 0, 0]
        for character in digits.utf8 {
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            var carry = UInt64(character - UInt8(ascii: "0"))
            for index in 0..<4 {
                let (high, low) = words[index].multipliedFullWidth(by: 10)
                let (sum, overflow) = low.addingReportingOverflow(carry)
                words[index] = sum
                carry = high + (overflow ? 1 : 0)
            }
            guard carry == 0, words[3] >> 63 == 0 || (negative && words[3] == 1 << 63 && words[0...2].allSatisfy { $0 == 0 }) else { return nil }
        }
        let magnitude = Int256(words: words)
        self = negative ? -magnitude : magnitude
    }
}

extension Int256: FixedWidthValue {}
