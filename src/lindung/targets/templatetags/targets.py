"""Filters and tags of the dashboard pages."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lindung.targets.tables import Table, pct

register = template.Library()


@register.filter
def persen(bp) -> str:
    """A rate in basis points as Indonesians write it: ``3400`` → ``34,00%``."""
    return pct(bp if bp is None else int(bp))


@register.simple_tag
def data_table(table: Table, slug: str, date_iso: str, hide_caption: bool = False):
    """A dashboard table with its XLSX link, written in Python rather than in template
    loops: a regency's village table has up to 852 rows (Kab. Aceh Utara), and per-cell
    template rendering would take most of the page's time budget."""
    numeric = {"count", "rate", "money"}
    num = ' class="num"'
    head = "".join(
        f'<th{num if c.kind in numeric else ""} scope="col">{escape(c.label)}</th>'
        for c in table.columns
    )
    rows = []
    for cells in table.display_rows():
        out = []
        for text, url, is_numeric, status in cells:
            text = escape(text)
            if url:
                text = f'<a href="{escape(url)}">{text}</a>'
            if status:
                text = f'<span class="rag rag-{status}" aria-hidden="true"></span> {text}'
            out.append(f'<td class="num">{text}</td>' if is_numeric else f"<td>{text}</td>")
        rows.append(f"<tr>{''.join(out)}</tr>")
    empty = _("Belum ada data.")
    download = _("Unduh tabel ini (XLSX)")
    if not rows:
        rows.append(f'<tr><td colspan="{len(table.columns)}">{escape(empty)}</td></tr>')
    caption = ' class="sr-only"' if hide_caption else ""
    note = f'<p class="help">{escape(table.note)}</p>' if table.note else ""
    url = (
        reverse("targets:xlsx", args=[slug]) + f"?tanggal={escape(date_iso)}&amp;tabel={table.key}"
    )
    return mark_safe(
        f'<div class="table-wrap"><table class="data" id="tabel-{table.key}">'
        f"<caption{caption}>{escape(table.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
        f'<p class="export"><a id="xlsx-{table.key}" href="{url}" download>'
        f"{escape(download)}</a></p>"
    )
