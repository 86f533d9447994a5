"""Every URL pattern of the site and every operation of the API, as the tests enumerate them."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# Patterns that are not the product's own pages (Django's admin has its own permission
# system and is tested by Django).
SKIPPED_PREFIXES = ("admin/", "api/v1/")


def url_patterns() -> list[tuple[str, str]]:
    """``(route, name)`` for every URL pattern outside :data:`SKIPPED_PREFIXES`."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                name_space = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), name_space)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield prefix + str(pattern.pattern), name

    found = walk(get_resolver().url_patterns, "", None)
    return [(route, name) for route, name in found if not route.startswith(SKIPPED_PREFIXES)]


def api_operations(schema: dict) -> list[tuple[str, str]]:
    """``(METHOD, path)`` for every operation in the OpenAPI document."""
    return [
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def fill(route: str, values: dict) -> str:
    """``pekerja/<int:pk>/`` with ``{"pk": 5}`` → ``/pekerja/5/`` (API paths use ``{name}``)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    path = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    return path if path.startswith("/") else "/" + path
