"""HTTP routes: ``api`` (JSON, in the OpenAPI schema) and ``pages`` (HTML for browsers)."""
