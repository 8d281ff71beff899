"""The web app (``millnet serve``): FastAPI routes → jobs → services → millnet's public API.

Pages are Jinja2 templates with htmx; every page action also has a JSON endpoint under
``/api`` (described at ``/openapi.json``, browsable at ``/docs``). All browser assets are
vendored, so the app works with no internet connection.
"""

from millnet.web.app import create_app
from millnet.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
