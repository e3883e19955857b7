import Foundation
import Ingest
import Testing

@Suite("Text chunking") struct TextChunkerTests {
    @Test("sentences are packed whole; the overlap repeats the last words of the chunk before")
    func packsSentences() {
        let chunker = TextChunker(size: 40, overlap: 10)
        let chunks = chunker.chunks("Ada writes Swift. She ships on Fridays. Bo reviews.")
        // "Ada writes Swift. She ships on Fridays." is 39 characters; the overlap takes the
        // last word that fits in 10 characters ("Fridays.", 8).
        #expect(chunks == ["Ada writes Swift. She ships on Fridays.", "Fridays. Bo reviews."])
    }

    @Test("a sentence longer than a chunk is cut between words, a word longer than a chunk is cut")
    func longSentences() {
        let chunker = TextChunker(size: 12, overlap: 0)
        #expect(chunker.chunks("alpha beta gamma delta") == ["alpha beta", "gamma delta"])
        #expect(chunker.chunks("abcdefghijklmnopqrstuvwxyz") == ["abcdefghijkl", "mnopqrstuvwx", "yz"])
    }

    @Test("every chunk is at most size characters; every word of the text appears in order")
    func boundsAndCoverage() throws {
        let words = (0..<300).map { "w\($0 * 7919 % 1000)" + ($0 % 9 == 8 ? "." : "") }
        let text = words.joined(separator: " ")
        let chunker = TextChunker(size: 120, overlap: 30)
        let chunks = chunker.chunks(text)
        #expect(chunks.allSatisfy { $0.count <= 120 })
        // Each chunk is a stretch of the text (the words are single-spaced), each starts no later
        // than the one before ended (nothing is skipped), and the last ends with the text.
        var previousEnd = text.startIndex
        var previousStart = text.startIndex
        for chunk in chunks {
            let found = try #require(text.range(of: chunk, range: previousStart..<text.endIndex))
            #expect(found.lowerBound <= previousEnd)
            #expect(previousEnd == text.startIndex || text.distance(from: found.lowerBound, to: previousEnd) <= 31)
            previousStart = text.index(after: found.lowerBound)
            previousEnd = found.upperBound
        }
        #expect(previousEnd == text.endIndex)
        #expect(chunks.count > 3)
    }

    @Test("blank text gives no chunks; short text one")
    func edges() {
        let chunker = TextChunker(size: 50, overlap: 5)
        #expect(chunker.chunks("   \n ").isEmpty)
        #expect(chunker.chunks("  One line.  ") == ["One line."])
        #expect(chunker.chunks("First paragraph\n\nSecond paragraph") == ["First paragraph\n\nSecond paragraph"])
    }
}
