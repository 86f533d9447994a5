"""Export of the worker registry to XLSX or CSV, through the user's region scope.

The columns start with the import template's, under the same names, so an exported file
can be corrected and imported back (with "update"). Filters are a small registry
(:func:`register_filter`): region, category and segment, plus the coverage status, which
comes from the programs app's enrollments and is registered only when that app is installed.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindung.imports.columns import COLUMNS
from lindung.people import visibility
from lindung.people.categories import Category
from lindung.people.models import Person
from lindung.people.selectors import workers_for
from lindung.regions.models import Region


@dataclass(frozen=True)
class WorkerFilter:
    name: str
    label: str
    choices: Callable[[], list[tuple[str, str]]] | None  # None: a free value (region code)
    apply: Callable[[QuerySet, str], QuerySet]


FILTERS: dict[str, WorkerFilter] = {}


def register_filter(worker_filter: WorkerFilter) -> None:
    FILTERS[worker_filter.name] = worker_filter


register_filter(
    WorkerFilter(
        "category",
        _("Kategori"),
        lambda: list(Category.choices),
        lambda qs, value: qs.filter(category=value),
    )
)
register_filter(
    WorkerFilter(
        "segment",
        _("Segmen"),
        lambda: list(Person.Segment.choices),
        lambda qs, value: qs.filter(segment=value),
    )
)


def _coverage_filter() -> WorkerFilter:
    """Coverage status from the programs' enrollments: protected now, on the way, or not."""
    from django.db.models import Exists, OuterRef

    from lindung.programs.lifecycle import PENDING, State
    from lindung.programs.models import Enrollment

    groups = {
        "covered": {State.ACTIVE, State.CONTINUED},
        "pending": set(PENDING),
    }

    def enrolled(states):
        return Exists(Enrollment.objects.filter(person=OuterRef("pk"), state__in=sorted(states)))

    def apply(qs, value):
        if value == "none":
            return qs.exclude(enrolled(groups["covered"] | groups["pending"]))
        return qs.filter(enrolled(groups[value]))

    return WorkerFilter(
        "coverage",
        _("Status kepesertaan"),
        lambda: [
            ("covered", _("Terlindungi (aktif atau lanjut mandiri)")),
            ("pending", _("Dalam proses (diusulkan s.d. diajukan ke BPJS)")),
            ("none", _("Belum terlindungi")),
        ],
        apply,
    )


if apps.is_installed("lindung.programs"):
    register_filter(_coverage_filter())


def clean_filters(raw: dict) -> dict[str, str]:
    """Known filters with allowed values only; ``region`` is a region code of any level."""
    cleaned = {}
    region = str(raw.get("region") or "").strip()[:13]
    if region and Region.objects.filter(code=region).exists():
        cleaned["region"] = region
    for name, worker_filter in FILTERS.items():
        value = str(raw.get(name) or "").strip()
        if not value:
            continue
        if worker_filter.choices is None or value in {c for c, _ in worker_filter.choices()}:
            cleaned[name] = value
    return cleaned


def workers_to_export(user, filters: dict[str, str]) -> QuerySet[Person]:
    people = workers_for(user, village=filters.get("region", ""))
    for name, value in filters.items():
        if name in FILTERS:
            people = FILTERS[name].apply(people, value)
    return people.order_by("village_id", "full_name", "id")


EXTRA_HEADER = ["nama_desa", "kecamatan", "kabupaten", "segmen", "terdaftar", "agen_perisai"]
HEADER = [c.name for c in COLUMNS] + EXTRA_HEADER


def header_for(user) -> list[str]:
    """The export's header; for a role that gets the birth year only, its column says so."""
    if visibility.sees_full(user, "birth_date"):
        return HEADER
    born = [c.field for c in COLUMNS].index("birth_date")
    return [*HEADER[:born], "tahun_lahir", *HEADER[born + 1 :]]


_FIELDS = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "village_id",
    "address",
    "phone",
    "occupation__name",
    "occupation_text",
    "category",
    "declared_income",
    "segment",
    "created_at",
    "agent__full_name",
]


def export_rows(user, filters: dict[str, str]) -> Iterator[list]:
    """The rows of the export (without header); NIK, birth date and sex as the role may see
    them (:mod:`lindung.people.visibility`)."""
    full_birth = visibility.sees_full(user, "birth_date")
    names = {}
    region_codes = set(
        Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.DISTRICT]).values_list(
            "code", "name"
        )
    )
    names.update(dict(region_codes))
    village_names: dict[str, str] = {}
    people = workers_to_export(user, filters).values_list(*_FIELDS)
    for (
        nik,
        name,
        sex,
        born,
        village,
        address,
        phone,
        occupation,
        occupation_text,
        category,
        income,
        segment,
        created,
        agent,
    ) in people.iterator(chunk_size=5000):
        if village not in village_names:
            region = Region.objects.filter(code=village).first()
            village_names[village] = region.display_name if region else village
        yield [
            visibility.nik(user, nik),
            name,
            visibility.sex(user, sex) or "",
            born if full_birth else visibility.birth_year(born),
            village,
            address,
            phone,
            occupation or occupation_text,
            category,
            income,
            village_names[village],
            names.get(village[:8], ""),
            names.get(village[:5], ""),
            segment,
            timezone.localtime(created).date() if isinstance(created, dt.datetime) else created,
            agent or "",
        ]


def export_filename(filters: dict[str, str], suffix: str, today: dt.date) -> str:
    parts = ["pekerja", *filters.values(), today.strftime("%Y%m%d")]
    return "-".join(p.replace(".", "") for p in parts) + suffix
