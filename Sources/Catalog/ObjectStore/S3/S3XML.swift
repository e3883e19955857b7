/// An element of an S3 XML response (`ListBucketResult`, `Error`, `InitiateMultipartUploadResult`,
/// `CompleteMultipartUploadResult`): its local name, its child elements and its text.
///
/// S3 answers with small, machine-written documents, so a small reader does: elements, text,
/// the five named entities, numeric character references and CDATA. Attributes, comments,
/// processing instructions and doctypes are skipped; namespace prefixes are dropped.
struct S3XMLNode: Equatable {
    var name: String
    var children: [S3XMLNode] = []
    var text: String = ""

    /// The first child element with the name.
    func child(_ name: String) -> S3XMLNode? { children.first { $0.name == name } }

    /// The text of the first child element with the name.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Every child element with the name.
    func children(_ name: String) -> [S3XMLNode] { children.filter { $0.name == name } }

    /// The text of the first element with the name, searched depth first (the node itself included).
    func firstValue(_ name: String) -> String? {
        if self.name == name { return text }
        for child in children { if let found = child.firstValue(name) { return found } }
        return nil
    }

    /// Parses a document; `nil` when it is not well-formed.
    static func parse(_ bytes: [UInt8]) -> S3XMLNode? {
        var reader = Reader(bytes: bytes)
        return reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0
        var stack: [S3XMLNode] = []
        var root: S3XMLNode?

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() -> S3XMLNode? {
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "<") {
                    guard markup() else { return nil }
                } else {
                    let start = position
                    while position < bytes.count && bytes[position] != UInt8(ascii: "<") { position += 1 }
                    if !stack.isEmpty { stack[stack.count - 1].text += Self.decodeEntities(bytes[start..<position]) }
                }
            }
            return stack.isEmpty ? root : nil
        }

        private func starts(with text: String) -> Bool {
            let pattern = Array(text.utf8)
            return position + pattern.count <= bytes.count && Array(bytes[position..<position + pattern.count]) == pattern
        }

        /// Moves past `terminator`; false when the document ends first.
        private mutating func skip(past terminator: String) -> Bool {
            let pattern = Array(terminator.utf8)
            while position + pattern.count <= bytes.count {
                if Array(bytes[position..<position + pattern.count]) == pattern {
                    position += pattern.count
                    return true
                }
                position += 1
            }
            return false
        }

        /// Reads one piece of markup at `<`.
        private mutating func markup() -> Bool {
            if starts(with: "<![CDATA[") {
                position += 9
                let start = position
                guard skip(past: "]]>") else { return false }
                if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: bytes[start..<position - 3], as: UTF8.self) }
                return true
            }
            if starts(with: "<!--") { return skip(past: "-->") }
            if starts(with: "<?") { return skip(past: "?>") }
            if starts(with: "<!") { return skip(past: ">") }
            let closing = starts(with: "</")
            position += closing ? 2 : 1
            let nameStart = position
            while position < bytes.count, !" \t\r\n/>".utf8.contains(bytes[position]) { position += 1 }
            var name = String(decoding: bytes[nameStart..<position], as: UTF8.self)
            if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
            guard !name.isEmpty else { return false }
            // Attributes (skipped), with quoted values that may hold '>'.
            var quote: UInt8? = nil
            while position < bytes.count {
                let byte = bytes[position]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    break
                }
                position += 1
            }
            guard position < bytes.count else { return false }
            let selfClosing = bytes[position - 1] == UInt8(ascii: "/")
            position += 1
            if closing {
                guard let open = stack.popLast(), open.name == name else { return false }
                attach(open)
            } else if selfClosing {
                attach(S3XMLNode(name: name))
            } else {
                stack.append(S3XMLNode(name: name))
            }
            return true
        }

        private mutating func attach(_ node: S3XMLNode) {
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }

        static func decodeEntities(_ raw: ArraySlice<UInt8>) -> String {
            let text = String(decoding: raw, as: UTF8.self)
            guard text.contains("&") else { return text }
            var out = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semicolon = rest[amp...].firstIndex(of: ";") else { return out + rest[amp...] }
                let entity = rest[rest.index(after: amp)..<semicolon]
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    var scalar: Unicode.Scalar?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if entity.hasPrefix("#") {
                        scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init)
                    }
                    if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semicolon] }
                }
                rest = rest[rest.index(after: semicolon)...]
            }
            return out + rest
        }
    }
}
