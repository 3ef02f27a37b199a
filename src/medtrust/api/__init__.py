"""REST API (``/api/v1``) and the application factory."""
