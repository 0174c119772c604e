"""The routes of one part of the app, written down at import and added to the app once.

FastAPI's `APIRouter` analyses each route when it is declared, and an included router's
routes are analysed again, for the app, on the first request (about 0.2 s for the app's
116 routes, paid by whoever asks first). `Routes` takes the same decorators and keeps only
what they say; `add_to(app)` declares each route on the app itself, analysed once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.params import Depends

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


class Routes:
    """What `APIRouter(prefix=..., dependencies=..., ...)` and its decorators declare."""

    def __init__(
        self,
        *,
        prefix: str = "",
        dependencies: Sequence[Depends] = (),
        responses: dict[int | str, dict[str, Any]] | None = None,
        include_in_schema: bool = True,
    ) -> None:
        self.prefix = prefix
        self.dependencies = list(dependencies)
        self.responses = responses or {}
        self.include_in_schema = include_in_schema
        self.declared: list[tuple[str, str, Callable[..., Any], dict[str, Any]]] = []

    def _route(self, method: str, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        def declare(endpoint: Endpoint) -> Endpoint:
            self.declared.append((method, path, endpoint, options))
            return endpoint

        return declare

    def get(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        """Declare a GET route."""
        return self._route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        """Declare a POST route."""
        return self._route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        """Declare a PUT route."""
        return self._route("PUT", path, **options)

    def patch(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        """Declare a PATCH route."""
        return self._route("PATCH", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Endpoint], Endpoint]:
        """Declare a DELETE route."""
        return self._route("DELETE", path, **options)

    def add_to(self, app: FastAPI) -> None:
        """Declare every route on `app`, in the order written, as the router would have."""
        for method, path, endpoint, options in self.declared:
            options = dict(options)
            responses = {**self.responses, **options.pop("responses", {})}
            app.add_api_route(
                self.prefix + path,
                endpoint,
                methods=[method],
                dependencies=[*self.dependencies, *options.pop("dependencies", [])],
                responses=responses or None,
                include_in_schema=options.pop("include_in_schema", self.include_in_schema),
                **options,
            )
