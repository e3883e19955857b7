// OllamaClient: the Ollama HTTP API, the Embedder protocol and a built-in offline embedder.
