"""Server-rendered web pages over the same services as the API."""
