// POST /api/embed: one call, and batches of any size split into calls.

extension OllamaClient {
    /// One `POST /api/embed` call, as is. Retried like any call while nothing was received.
    ///
    /// - Throws: ``OllamaError`` (`modelNotFound`, `badRequest` for an over-long input with
    ///   `truncate: false`, `malformedResponse`, …).
    public func embed(_ request: EmbedRequest) async throws -> EmbedResponse {
        let call = try Call(post: "/api/embed", json: request, model: request.model)
        let body = try await send(call)
        return try decode(EmbedResponse.self, from: body, endpoint: call.endpoint, model: request.model)
    }

    /// Embeds `texts` in batches of `batchSize` (one request each, one after another) and returns one
    /// vector per text, in order.
    ///
    /// Every reply is checked: as many vectors as texts, all of one non-zero length.
    ///
    /// ```swift
    /// let vectors = try await client.embed(model: "nomic-embed-text", texts: chunks, keepAlive: .forever)
    /// ```
    ///
    /// - Parameters:
    ///   - truncate: `false` (the default) makes the server reject an input longer than the model's context
    ///     instead of silently cutting it, so over-long chunks are found.
    ///   - dimensions: Cut each vector to this length and re-normalise (models that support it).
    ///   - keepAlive: How long the model stays loaded; `nil` for the server default.
    /// - Throws: ``OllamaError``; ``OllamaError/Code/invalidConfiguration`` when `batchSize < 1`.
    public func embed(
        model: String, texts: [String], batchSize: Int = 32, truncate: Bool = false, dimensions: Int? = nil,
        keepAlive: KeepAlive? = nil
    ) async throws -> [[Float]] {
        guard batchSize > 0 else {
            throw OllamaError.invalidConfiguration("The embedding batch size must be at least 1, not \(batchSize).")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var length: Int?
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            if Task.isCancelled { throw OllamaError.cancelled(baseURL: baseURLText, endpoint: "/api/embed") }
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let response = try await embed(
                EmbedRequest(
                    model: model, input: batch, truncate: truncate, dimensions: dimensions, keepAlive: keepAlive))
            guard response.embeddings.count == batch.count else {
                throw invalidEmbeddings(
                    "\(response.embeddings.count) vectors for \(batch.count) texts", model: model)
            }
            for vector in response.embeddings {
                let expected = length ?? vector.count
                guard vector.count == expected, expected > 0 else {
                    throw invalidEmbeddings("a vector of \(vector.count) values among vectors of \(expected)", model: model)
                }
                length = expected
                vectors.append(vector)
            }
        }
        return vectors
    }

    private func invalidEmbeddings(_ what: String, model: String) -> OllamaError {
        OllamaError(
            code: .malformedResponse,
            message: "The Ollama server at \(baseURLText) returned \(what) from /api/embed with model '\(model)'.",
            baseURL: baseURLText, endpoint: "/api/embed", model: model)
    }
}
