"""The column type of a Kemendagri region code."""

from django.db import models


class RegionCodeField(models.CharField):
    """A region code, compared byte by byte on every database.

    On PostgreSQL the column is in collation ``C``, and so (Django carries a key's collation
    to the columns that refer to it) is every foreign key to a region. Two reasons:

    - A code is an identifier, not words: under a linguistic collation dots are ignored, so
      ``51.04.01.2001`` would not sort between ``51.04.`` and ``51.04/``, the range the
      region scope reads (``accounts.scope``).
    - A join can use an index only when both sides compare in the index's collation. The
      registry's village column is ``C`` (for the range), and when a region's key was not,
      PostgreSQL compared in ``C`` (a column's collation beats the database default), could
      not use the regions' primary key, and read all 91,219 regions to find one worker's
      village.

    SQLite compares text bytewise by default, so the column there is an ordinary one.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
