"""Checks that run on whole columns of an uploaded file (polars), shared by the importers.

A rule written for one record (a form's check) costs minutes when run on every row of a
file of hundreds of thousands. Most columns of such files hold few distinct values
(villages, dates, codes from a list), so the record's own parser is called once per
distinct value and its answer spread over the column: the same rule, the same answer, at
the cost of the distinct values. Used by the worker import (``imports.checks``) and the
employer import (``employers.importing``).
"""

import polars as pl


def map_distinct(
    expr: pl.Expr, frame: pl.DataFrame, func, dtype, memo: dict | None = None
) -> pl.Expr:
    """Apply ``func`` once per distinct value of ``expr`` and spread the answers.

    ``memo`` keeps the answers between calls, so a file checked chunk by chunk still
    parses each distinct value once.
    """
    memo = {} if memo is None else memo
    keys = frame.select(expr.fill_null("").unique().alias("k")).to_series().to_list()
    values = []
    for k in keys:
        if k not in memo:
            memo[k] = func(k)
        values.append(memo[k])
    return expr.fill_null("").replace_strict(keys, values, default=None, return_dtype=dtype)
