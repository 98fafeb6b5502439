"""kbchat's REST API (``/api/v1``): API keys acting as users of their roles, the same services
and rules as the web app and the CLI, errors as JSON with stable codes, an OpenAPI schema, and
an OpenAI-compatible chat endpoint that answers from the knowledge base with citations."""

from chat.api.app import API_PREFIX, build_api

__all__ = ["API_PREFIX", "build_api"]
