// The offline embedder: stable hashing, unit vectors, and lexical neighbours that make sense.

import Testing

@testable import OllamaClient

@Suite("Built-in embedder")
struct BuiltinEmbedderTests {
    let embedder = BuiltinEmbedder()

    @Test("FNV-1a matches the published 64-bit test vectors")
    func fnvVectors() {
        #expect(FNV1a.hash("".utf8) == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a".utf8) == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash("foobar".utf8) == 0x8594_4171_f739_67e8)
    }

    @Test("identity names the scheme and the dimension")
    func identity() {
        #expect(embedder.identity == EmbedderIdentity(id: "builtin-hash-v1", dimension: 384))
        #expect(BuiltinEmbedder(dimension: 64).identity.description == "builtin-hash-v1 (64-d)")
    }

    @Test("the same text gives the same vector, from any instance; pinned buckets guard against drift")
    func determinism() async throws {
        let first = embedder.vector(for: "Kubernetes migration engineer")
        #expect(BuiltinEmbedder().vector(for: "Kubernetes migration engineer") == first)
        #expect(embedder.vector(for: "kubernetes MIGRATION engineer") == first)  // case folded
        #expect(try await embedder.embed(["Kubernetes migration engineer"]) == [first])

        // Pinned, and checked against an independent re-implementation of the hashing: "kubernetes" is
        // one word feature (bucket 40, the strongest) and ten trigrams, two of which share bucket 72 with
        // opposite signs and cancel. A change here means stored vectors would no longer match.
        let vector = embedder.vector(for: "kubernetes")
        let nonZero = vector.indices.filter { vector[$0] != 0 }
        let strongest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) }
        #expect(nonZero == [6, 40, 49, 62, 65, 118, 129, 149, 362])
        #expect(strongest == 40)
    }

    @Test("vectors have the dimension and unit length; text without words gives the all-zero vector")
    func unitLength() async throws {
        let texts = ["a", "C++ and C# developers on .NET", "Ünïcödé naïve café", String(repeating: "word ", count: 500), "42"]
        for vector in try await embedder.embed(texts) {
            #expect(vector.count == 384)
            #expect(abs(length(vector) - 1) < 1e-5)
        }
        #expect(embedder.vector(for: "") == [Float](repeating: 0, count: 384))
        #expect(embedder.vector(for: " ?! -- ") == [Float](repeating: 0, count: 384))
        #expect(BuiltinEmbedder(dimension: 16).vector(for: "tiny").count == 16)
    }

    @Test("a query is closer to a text about the same thing than to an unrelated one")
    func lexicalNeighbours() {
        let query = embedder.vector(for: "kubernetes migration engineer")
        let related = embedder.vector(for: "Migrated 40 services to Kubernetes and led the platform team")
        let unrelated = embedder.vector(for: "Pastry chef at a busy bakery, croissants and bread")
        #expect(cosine(query, related) > cosine(query, unrelated) + 0.15)
        #expect(cosine(query, unrelated) < 0.15)
    }

    @Test("a typo still lands near the word, through character trigrams")
    func typoRobustness() {
        let typo = embedder.vector(for: "kubernets")
        let word = embedder.vector(for: "kubernetes")
        let other = embedder.vector(for: "pastry")
        #expect(cosine(typo, word) > 0.25)
        #expect(cosine(typo, word) > cosine(typo, other) + 0.2)
    }

    @Test("common words weigh little: they do not make unrelated texts similar")
    func stopWords() {
        let a = embedder.vector(for: "the history of the roman empire")
        let b = embedder.vector(for: "the recipe of the chocolate cake")
        let c = embedder.vector(for: "roman empire history")
        #expect(cosine(a, c) > cosine(a, b) + 0.3)
    }

    @Test("word order matters a little, through word pairs")
    func wordPairs() {
        let a = embedder.vector(for: "machine learning")
        let b = embedder.vector(for: "learning machine")
        #expect(cosine(a, b) < 0.999)
        #expect(cosine(a, b) > 0.6)
    }

    @Test(
        "technology names survive tokenisation",
        arguments: [
            ("C++ and C# on .NET", ["c++", "and", "c#", "on", ".net"]),
            ("a+b=c", ["a", "b", "c"]),
            ("end. next", ["end", "next"]),
            ("node.js, f#; g++!", ["node", "js", "f#", "g++"]),
            ("naïve café", ["naïve", "café"]),
        ])
    func tokenizer(text: String, expected: [String]) {
        var lowered = text.lowercased()
        let words = lowered.withUTF8 { bytes in
            LexicalTokenizer.words(in: bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
        }
        #expect(words == expected)
    }

    @Test("c++ and c# are different from c")
    func languagesApart() {
        let cpp = embedder.vector(for: "c++")
        let csharp = embedder.vector(for: "c#")
        let c = embedder.vector(for: "c")
        #expect(cosine(cpp, csharp) < 0.9)
        #expect(cosine(cpp, c) < 0.9)
    }
}
