"""Application use cases. Each service function owns its transaction."""
