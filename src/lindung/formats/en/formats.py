"""English keeps the program's own date format (19/02/2024): the documents are Indonesian."""

from lindung.formats.id.formats import *  # noqa: F403
