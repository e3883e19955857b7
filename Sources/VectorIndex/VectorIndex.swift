// VectorIndex: distance kernels, exact search, HNSW and its persistence.
