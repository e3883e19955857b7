// Word boundaries for the built-in embedder, found in lower-cased UTF-8 bytes without copying them.

/// Splits lower-cased UTF-8 text into words.
///
/// A word is a run of ASCII letters and digits and of non-ASCII bytes (so accented and non-Latin
/// words stay whole). Three cheap exceptions keep technology names apart: trailing `+` and `#` stay
/// on a word when no letter follows (`c++`, `c#`, `f#`), and a `.` that starts a word before a letter
/// stays on it (`.net`).
enum LexicalTokenizer {
    /// The half-open byte ranges of the words in `bytes`.
    static func words(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var words: [Range<Int>] = []
        words.reserveCapacity(bytes.count / 5 + 1)
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            let start = index
            if byte == UInt8(ascii: "."), index + 1 < count, isLetter(bytes[index + 1]),
                index == 0 || !isWordByte(bytes[index - 1])
            {
                index += 1  // ".net": the dot belongs to the word
            } else if !isWordByte(byte) {
                index += 1
                continue
            }
            while index < count && isWordByte(bytes[index]) { index += 1 }
            // "c++", "c#": keep trailing + and # unless a word character follows them ("a+b").
            var end = index
            while end < count && (bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "#")) { end += 1 }
            if end > index && (end == count || !isWordByte(bytes[end])) { index = end }
            words.append(start..<index)
        }
        return words
    }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte >= 0x80
    }

    @inline(__always)
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

/// Very common English words, down-weighted by the built-in embedder, kept as their FNV-1a hashes.
enum StopWords {
    static let hashes: Set<UInt64> = Set(
        """
        a an and are as at be been but by can could did do does for from had has have he her his how i if in \
        into is it its me my no not of on or our she so such than that the their them then there these they \
        this those to too us was we were what when where which who whom why will with would you your yours \
        also am any each few more most other over own same some very just about after again all before both \
        between during off once only out under until up while because being having here nor itself myself
        """.split(separator: " ").map { FNV1a.hash($0.utf8) })

    static func contains(hash: UInt64) -> Bool { hashes.contains(hash) }
}
