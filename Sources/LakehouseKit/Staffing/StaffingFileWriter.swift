import Foundation

/// Writes one table's file: rows are appended to a byte buffer, which goes to disk whenever it
/// passes a few MiB, so a table of any size costs a bounded amount of memory.
///
/// CSV fields follow RFC 4180: a field holding a comma, a quote or a line break is quoted and its
/// quotes doubled; rows end with `\n`.
final class StaffingFileWriter {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var rowHasFields = false
    private(set) var bytes = 0
    private(set) var rows = 0

    private static let flushThreshold = 4 << 20

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else {
            throw StaffingGeneratorError(path: path, message: "cannot create the file")
        }
        self.path = path
        self.handle = handle
        buffer.reserveCapacity(Self.flushThreshold + (1 << 16))
    }

    // MARK: CSV

    /// Writes the header row (not counted in `rows`).
    func header(_ names: [String]) throws {
        for name in names { field(name) }
        rowHasFields = false
        buffer.append(0x0A)
        try flushIfFull()
    }

    /// Ends the current CSV row.
    func endRow() throws {
        buffer.append(0x0A)
        rowHasFields = false
        rows += 1
        try flushIfFull()
    }

    /// A text field, quoted when RFC 4180 asks for it.
    func field(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    /// A field already laid out as bytes, such as a resume built by `StaffingText`.
    func field(bytes text: [UInt8]) {
        separate()
        text.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// An empty field: a missing value.
    func empty() {
        separate()
    }

    /// An integer field.
    func field(_ value: Int) {
        separate()
        appendInteger(value)
    }

    /// A money field: cents written with exactly two decimals, e.g. `1234` as `12.34`.
    func field(cents: Int) {
        separate()
        appendFixed2(cents)
    }

    /// A boolean field as `true` or `false`.
    func field(_ value: Bool) {
        separate()
        appendASCII(value ? "true" : "false")
    }

    /// A date field, `2026-03-02`.
    func field(isoDate days: Int) {
        separate()
        appendISODate(days)
    }

    /// A date field in the US style, `03/07/2026`.
    func field(usDate days: Int) {
        separate()
        let (y, m, d) = CivilDate.date(fromDays: days)
        appendPadded(m, width: 2)
        buffer.append(0x2F)
        appendPadded(d, width: 2)
        buffer.append(0x2F)
        appendPadded(y, width: 4)
    }

    /// A timestamp field, `2026-03-02 14:05:00`, from seconds since 1970-01-01.
    func field(timestamp seconds: Int) {
        separate()
        appendTimestamp(seconds, separator: 0x20)
    }

    /// A zero-padded number kept as text, such as a zip code `02108`.
    func field(padded value: Int, width: Int) {
        separate()
        appendPadded(value, width: width)
    }

    // MARK: JSON

    /// Writes raw bytes (JSON punctuation and keys the caller spells out).
    func raw(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    /// A JSON string literal with `"` `\` and control characters escaped.
    func jsonString(_ text: String) {
        buffer.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: buffer.append(contentsOf: [0x5C, 0x22])
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, 0x6E])
            case ..<0x20:
                appendASCII("\\u00")
                appendPadded(Int(byte) >> 4, width: 1, hex: true)
                appendPadded(Int(byte) & 15, width: 1, hex: true)
            default: buffer.append(byte)
            }
        }
        buffer.append(0x22)
    }

    /// A JSON number.
    func jsonInteger(_ value: Int) {
        appendInteger(value)
    }

    /// A JSON timestamp string, `"2026-03-02T14:05:00Z"`.
    func jsonTimestamp(_ seconds: Int) {
        buffer.append(0x22)
        appendTimestamp(seconds, separator: 0x54)
        buffer.append(contentsOf: [0x5A, 0x22])
    }

    /// Ends an NDJSON line (one object per line).
    func endLine() throws {
        buffer.append(0x0A)
        rows += 1
        try flushIfFull()
    }

    // MARK: Finishing

    /// Writes what is buffered and closes the file.
    func finish() throws -> (rows: Int, bytes: Int) {
        try flush()
        try handle.close()
        return (rows, bytes)
    }

    // MARK: Pieces

    private func separate() {
        if rowHasFields { buffer.append(0x2C) }
        rowHasFields = true
    }

    private func appendEscaped(_ text: UnsafeBufferPointer<UInt8>) {
        let needsQuotes = text.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            buffer.append(contentsOf: text)
            return
        }
        buffer.append(0x22)
        for byte in text {
            buffer.append(byte)
            if byte == 0x22 { buffer.append(0x22) }
        }
        buffer.append(0x22)
    }

    private func appendASCII(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private func appendInteger(_ value: Int) {
        if value < 0 { buffer.append(0x2D) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            buffer.append(0x30 + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    private func appendFixed2(_ cents: Int) {
        if cents < 0 { buffer.append(0x2D) }
        appendInteger(Int(cents.magnitude / 100))
        buffer.append(0x2E)
        appendPadded(Int(cents.magnitude % 100), width: 2)
    }

    /// The low `width` digits of a non-negative `value`, zero-padded.
    private func appendPadded(_ value: Int, width: Int, hex: Bool = false) {
        let base = hex ? 16 : 10
        var divisor = 1
        for _ in 1..<max(width, 1) { divisor *= base }
        while divisor > 0 {
            let digit = value / divisor % base
            buffer.append(UInt8(digit < 10 ? 0x30 + digit : 0x61 + digit - 10))
            divisor /= base
        }
    }

    private func appendISODate(_ days: Int) {
        let (y, m, d) = CivilDate.date(fromDays: days)
        appendPadded(y, width: 4)
        buffer.append(0x2D)
        appendPadded(m, width: 2)
        buffer.append(0x2D)
        appendPadded(d, width: 2)
    }

    private func appendTimestamp(_ seconds: Int, separator: UInt8) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let clock = seconds - days * 86_400
        appendISODate(days)
        buffer.append(separator)
        appendPadded(clock / 3600, width: 2)
        buffer.append(0x3A)
        appendPadded(clock / 60 % 60, width: 2)
        buffer.append(0x3A)
        appendPadded(clock % 60, width: 2)
    }

    private func flushIfFull() throws {
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw StaffingGeneratorError(path: path, message: "cannot write: \(error)")
        }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }
}
