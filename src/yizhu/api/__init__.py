"""The HTTP API: FastAPI app factory, routes, auth and errors."""
