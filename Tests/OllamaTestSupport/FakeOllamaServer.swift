// A fake Ollama server for tests.
