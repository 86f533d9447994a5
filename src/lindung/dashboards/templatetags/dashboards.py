"""Filters and tags of the dashboard pages."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lindung.coverage.indicators import STATUS_LABELS
from lindung.dashboards.tables import NUMERIC, STATUS, Link, Table, write

register = template.Library()


@register.simple_tag
def data_table(table: Table, slug: str, date_iso: str, hide_caption: bool = False):
    """A dashboard table with its XLSX link, written in Python rather than in template
    loops: a regency's village table has up to 852 rows (Kab. Aceh Utara), and per-cell
    template rendering would take most of the page's time budget."""
    num = ' class="num"'
    head = "".join(
        f'<th{num if c.kind in NUMERIC else ""} scope="col">{escape(c.label)}</th>'
        for c in table.columns
    )
    kinds = [c.kind for c in table.columns]
    marks = {key: escape(str(label)) for key, label in STATUS_LABELS.items()}
    rows = []
    for values in table.rows:
        out = []
        for kind, value in zip(kinds, values, strict=True):
            if kind in NUMERIC:
                # Digits, separators, "Rp", "%" and "–" of our own formatting: nothing to escape.
                out.append(f'<td class="num">{write(value, kind)}</td>')
            elif kind == STATUS and value:
                text = marks.get(value) or escape(str(value))
                out.append(
                    f'<td><span class="rag rag-{value}" aria-hidden="true"></span> {text}</td>'
                )
            elif isinstance(value, Link):
                out.append(f'<td><a href="{escape(value.url)}">{escape(value.text)}</a></td>')
            else:
                out.append(f"<td>{escape(write(value, kind))}</td>")
        rows.append(f"<tr>{''.join(out)}</tr>")
    empty = _("Belum ada data.")
    download = _("Unduh tabel ini (XLSX)")
    if not rows:
        rows.append(f'<tr><td colspan="{len(table.columns)}">{escape(empty)}</td></tr>')
    caption = ' class="sr-only"' if hide_caption else ""
    note = f'<p class="help">{escape(table.note)}</p>' if table.note else ""
    url = (
        reverse("dashboards:xlsx", args=[slug])
        + f"?tanggal={escape(date_iso)}&amp;tabel={table.key}"
    )
    return mark_safe(
        f'<div class="table-wrap"><table class="data" id="tabel-{table.key}">'
        f"<caption{caption}>{escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
        f'<p class="export"><a id="xlsx-{table.key}" href="{url}" download>'
        f"{escape(download)}</a></p>"
    )
