"""Database triggers that note which villages' summary rows a write made stale.

Every change that moves a coverage figure touches one of five tables: enrollments (a
proposal, any state change, an activation with its dates), their transitions, the people
(a category, sex, occupation or segment corrected, by hand or by an import), the programs
(funder or year changed) and the village quotas. A trigger on each writes the codes of the
villages concerned into ``targets_dirtyvillage`` in the same transaction as the change, so
no write path can forget to, none of them needs to know about the summary, and a change
that rolls back leaves no mark. ``summary.refresh`` then recomputes those villages only.

A person's enrollments in other villages are marked too: whether a worker is still
covered after their sponsorship (retention) depends on all their enrollments.

Bill lines (premiums billed, broken down by the worker) have triggers of their own,
created by a later migration than the others because they need the billing module's
table (:func:`billing_create_statements`). A line carries its enrollment's village.

PostgreSQL gets statement-level triggers with transition tables (one ``INSERT … SELECT``
per statement, whatever the number of rows); SQLite row-level ones.
"""

DIRTY = "targets_dirtyvillage"
ENROLLMENT = "programs_enrollment"
TRANSITION = "programs_transition"
PERSON = "people_person"
PROGRAM = "programs_program"
QUOTA = "programs_villagequota"
BILL_LINE = "billing_billline"

PERSON_FIELDS = ("segment", "category", "sex", "occupation_id")
PROGRAM_FIELDS = ("funder", "year")


def _same_person_villages(person_ids: str) -> str:
    return (
        f"SELECT DISTINCT e2.village_id FROM {ENROLLMENT} e2 WHERE e2.person_id IN ({person_ids})"
    )


# ---- PostgreSQL ---------------------------------------------------------------------------


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND $$;"
    )


def _pg_trigger(name: str, event: str, table: str, tables: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {tables} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
    )


def _pg_changed(fields: tuple[str, ...]) -> str:
    """Ids of the rows whose ``fields`` changed. A set difference, not a join of the two
    transition tables: those have no statistics nor indexes, and a nested-loop join of
    100,000 updated rows with themselves would cost seconds."""
    columns = ", ".join(("id", *fields))
    return (
        f"SELECT id FROM (SELECT {columns} FROM new_rows "
        f"EXCEPT SELECT {columns} FROM old_rows) changed"
    )


PG_TRIGGERS = [
    # name, event, table, transition tables, body
    (
        "targets_enrollment_ins",
        "INSERT",
        ENROLLMENT,
        "NEW TABLE AS new_rows",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages("SELECT person_id FROM new_rows")
        + ";",
    ),
    (
        "targets_enrollment_upd",
        "UPDATE",
        ENROLLMENT,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages(
            "SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows"
        )
        + " UNION SELECT village_id FROM old_rows;",
    ),
    (
        "targets_enrollment_del",
        "DELETE",
        ENROLLMENT,
        "OLD TABLE AS old_rows",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages("SELECT person_id FROM old_rows")
        + " UNION SELECT village_id FROM old_rows;",
    ),
    *[
        (
            f"targets_transition_{suffix}",
            event,
            TRANSITION,
            f"{'NEW' if suffix != 'del' else 'OLD'} TABLE AS rows_",
            f"INSERT INTO {DIRTY} (village_code) "
            + _same_person_villages(
                f"SELECT e.person_id FROM {ENROLLMENT} e "
                "WHERE e.id IN (SELECT enrollment_id FROM rows_)"
            )
            + ";",
        )
        for suffix, event in (("ins", "INSERT"), ("upd", "UPDATE"), ("del", "DELETE"))
    ],
    (
        "targets_person_upd",
        "UPDATE",
        PERSON,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages(_pg_changed(PERSON_FIELDS))
        + ";",
    ),
    (
        "targets_program_upd",
        "UPDATE",
        PROGRAM,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        f"INSERT INTO {DIRTY} (village_code) "
        f"SELECT DISTINCT e.village_id FROM {ENROLLMENT} e WHERE e.program_id IN ("
        f"{_pg_changed(PROGRAM_FIELDS)}) "
        f"UNION SELECT q.village_id FROM {QUOTA} q WHERE q.program_id IN ("
        f"{_pg_changed(PROGRAM_FIELDS)});",
    ),
    (
        "targets_quota_ins",
        "INSERT",
        QUOTA,
        "NEW TABLE AS new_rows",
        f"INSERT INTO {DIRTY} (village_code) SELECT DISTINCT village_id FROM new_rows;",
    ),
    (
        "targets_quota_upd",
        "UPDATE",
        QUOTA,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        # Only a changed quota: ``used`` moves with every proposal, which the enrollment
        # trigger already notes.
        f"INSERT INTO {DIRTY} (village_code) "
        "SELECT village_id FROM (SELECT id, village_id, quota FROM new_rows "
        "EXCEPT SELECT id, village_id, quota FROM old_rows) changed "
        "UNION SELECT village_id FROM (SELECT id, village_id, quota FROM old_rows "
        "EXCEPT SELECT id, village_id, quota FROM new_rows) left_;",
    ),
    (
        "targets_quota_del",
        "DELETE",
        QUOTA,
        "OLD TABLE AS old_rows",
        f"INSERT INTO {DIRTY} (village_code) SELECT DISTINCT village_id FROM old_rows;",
    ),
]


# Lines are only ever inserted (a correction is a new line); update and delete are marked
# all the same, so a repair by hand cannot leave the summary behind.
PG_BILLING_TRIGGERS = [
    (
        f"targets_billline_{suffix}",
        event,
        BILL_LINE,
        f"{'OLD' if suffix == 'del' else 'NEW'} TABLE AS rows_",
        f"INSERT INTO {DIRTY} (village_code) SELECT DISTINCT village_id FROM rows_;",
    )
    for suffix, event in (("ins", "INSERT"), ("upd", "UPDATE"), ("del", "DELETE"))
]


def postgresql_create(triggers=None) -> list[str]:
    statements = []
    for name, event, table, tables, body in PG_TRIGGERS if triggers is None else triggers:
        statements.append(_pg_function(name, body))
        statements.append(_pg_trigger(name, event, table, tables))
    return statements


def postgresql_drop(triggers=None) -> list[str]:
    statements = []
    for name, _event, table, _tables, _body in PG_TRIGGERS if triggers is None else triggers:
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    return statements


# ---- SQLite -------------------------------------------------------------------------------


def _sqlite_changed(fields: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{f} IS NOT NEW.{f}" for f in fields)


SQLITE_TRIGGERS = [
    (
        "targets_enrollment_ins",
        f"AFTER INSERT ON {ENROLLMENT}",
        f"INSERT INTO {DIRTY} (village_code) " + _same_person_villages("NEW.person_id") + ";",
    ),
    (
        "targets_enrollment_upd",
        f"AFTER UPDATE ON {ENROLLMENT}",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages("NEW.person_id, OLD.person_id")
        + " UNION SELECT OLD.village_id;",
    ),
    (
        "targets_enrollment_del",
        f"AFTER DELETE ON {ENROLLMENT}",
        f"INSERT INTO {DIRTY} (village_code) "
        + _same_person_villages("OLD.person_id")
        + " UNION SELECT OLD.village_id;",
    ),
    *[
        (
            f"targets_transition_{suffix}",
            f"AFTER {event} ON {TRANSITION}",
            f"INSERT INTO {DIRTY} (village_code) "
            + _same_person_villages(
                f"SELECT e.person_id FROM {ENROLLMENT} e WHERE e.id = {row}.enrollment_id"
            )
            + ";",
        )
        for suffix, event, row in (
            ("ins", "INSERT", "NEW"),
            ("upd", "UPDATE", "NEW"),
            ("del", "DELETE", "OLD"),
        )
    ],
    (
        "targets_person_upd",
        f"AFTER UPDATE ON {PERSON} WHEN {_sqlite_changed(PERSON_FIELDS)}",
        f"INSERT INTO {DIRTY} (village_code) " + _same_person_villages("NEW.id") + ";",
    ),
    (
        "targets_program_upd",
        f"AFTER UPDATE ON {PROGRAM} WHEN {_sqlite_changed(PROGRAM_FIELDS)}",
        f"INSERT INTO {DIRTY} (village_code) "
        f"SELECT DISTINCT village_id FROM {ENROLLMENT} WHERE program_id = NEW.id "
        f"UNION SELECT village_id FROM {QUOTA} WHERE program_id = NEW.id;",
    ),
    (
        "targets_quota_ins",
        f"AFTER INSERT ON {QUOTA}",
        f"INSERT INTO {DIRTY} (village_code) VALUES (NEW.village_id);",
    ),
    (
        "targets_quota_upd",
        f"AFTER UPDATE ON {QUOTA} WHEN OLD.quota IS NOT NEW.quota "
        "OR OLD.village_id IS NOT NEW.village_id",
        f"INSERT INTO {DIRTY} (village_code) SELECT NEW.village_id UNION SELECT OLD.village_id;",
    ),
    (
        "targets_quota_del",
        f"AFTER DELETE ON {QUOTA}",
        f"INSERT INTO {DIRTY} (village_code) VALUES (OLD.village_id);",
    ),
]


SQLITE_BILLING_TRIGGERS = [
    (
        f"targets_billline_{suffix}",
        f"AFTER {event} ON {BILL_LINE}",
        f"INSERT INTO {DIRTY} (village_code) VALUES ({row}.village_id);",
    )
    for suffix, event, row in (
        ("ins", "INSERT", "NEW"),
        ("upd", "UPDATE", "NEW"),
        ("del", "DELETE", "OLD"),
    )
]


def sqlite_create(triggers=None) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END;"
        for name, when, body in (SQLITE_TRIGGERS if triggers is None else triggers)
    ]


def sqlite_drop(triggers=None) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name};"
        for name, _when, _body in (SQLITE_TRIGGERS if triggers is None else triggers)
    ]


def create_statements(vendor: str) -> list[str]:
    return postgresql_create() if vendor == "postgresql" else sqlite_create()


def drop_statements(vendor: str) -> list[str]:
    return postgresql_drop() if vendor == "postgresql" else sqlite_drop()


def billing_create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return postgresql_create(PG_BILLING_TRIGGERS)
    return sqlite_create(SQLITE_BILLING_TRIGGERS)


def billing_drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return postgresql_drop(PG_BILLING_TRIGGERS)
    return sqlite_drop(SQLITE_BILLING_TRIGGERS)


def disable_statements() -> list[str]:
    """PostgreSQL: switch the triggers off (bulk loads that rebuild the summary after)."""
    return [
        f"ALTER TABLE {t} DISABLE TRIGGER {n};"
        for n, _e, t, _x, _b in PG_TRIGGERS + PG_BILLING_TRIGGERS
    ]


def enable_statements() -> list[str]:
    return [
        f"ALTER TABLE {t} ENABLE TRIGGER {n};"
        for n, _e, t, _x, _b in PG_TRIGGERS + PG_BILLING_TRIGGERS
    ]


def restore_sqlite_triggers(using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds the table (as it does for
    most column changes: a new foreign key on the workers, a changed index), so after every
    ``migrate`` the triggers are created again where they are missing (``IF NOT EXISTS``).
    PostgreSQL keeps triggers across ``ALTER TABLE``: nothing to do there."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [DIRTY])
        if cursor.fetchone() is None:
            return  # migrated only part of the way: the targets migrations make them
        for statement in sqlite_create() + sqlite_create(SQLITE_BILLING_TRIGGERS):
            cursor.execute(statement)
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [FORMAL_DIRTY]
        )
        if cursor.fetchone() is not None:
            for statement in sqlite_create(SQLITE_EMPLOYER_TRIGGERS):
                cursor.execute(statement)


# ---- Employers (the employers' summary, ``lindung.coverage.formal_summary``) ---------------

FORMAL_DIRTY = "coverage_formaldirtyvillage"
EMPLOYER = "employers_employer"
# What the employers' summary reads of an employer: a change to anything else (contact,
# follow-up date, name) marks nothing.
EMPLOYER_FIELDS = (
    "village_id",
    "kbli_section",
    "size_class",
    "compliance",
    "total_workers",
    "registered_workers",
    "workers_as_of",
    "registration_as_of",
    "closed_on",
    "first_reached_on",
)


def _pg_employer_changed(left: str, right: str) -> str:
    columns = ", ".join(("id", *EMPLOYER_FIELDS))
    return (
        f"SELECT village_id FROM (SELECT {columns} FROM {left} "
        f"EXCEPT SELECT {columns} FROM {right}) changed"
    )


PG_EMPLOYER_TRIGGERS = [
    (
        "coverage_employer_ins",
        "INSERT",
        EMPLOYER,
        "NEW TABLE AS new_rows",
        f"INSERT INTO {FORMAL_DIRTY} (village_code) SELECT DISTINCT village_id FROM new_rows;",
    ),
    (
        "coverage_employer_upd",
        "UPDATE",
        EMPLOYER,
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        # The old village too: an employer moved leaves the old one's figures.
        f"INSERT INTO {FORMAL_DIRTY} (village_code) "
        f"{_pg_employer_changed('new_rows', 'old_rows')} "
        f"UNION {_pg_employer_changed('old_rows', 'new_rows')};",
    ),
    (
        "coverage_employer_del",
        "DELETE",
        EMPLOYER,
        "OLD TABLE AS old_rows",
        f"INSERT INTO {FORMAL_DIRTY} (village_code) SELECT DISTINCT village_id FROM old_rows;",
    ),
]

SQLITE_EMPLOYER_TRIGGERS = [
    (
        "coverage_employer_ins",
        f"AFTER INSERT ON {EMPLOYER}",
        f"INSERT INTO {FORMAL_DIRTY} (village_code) VALUES (NEW.village_id);",
    ),
    (
        "coverage_employer_upd",
        f"AFTER UPDATE ON {EMPLOYER} WHEN {_sqlite_changed(EMPLOYER_FIELDS)}",
        f"INSERT INTO {FORMAL_DIRTY} (village_code) "
        "SELECT NEW.village_id UNION SELECT OLD.village_id;",
    ),
    (
        "coverage_employer_del",
        f"AFTER DELETE ON {EMPLOYER}",
        f"INSERT INTO {FORMAL_DIRTY} (village_code) VALUES (OLD.village_id);",
    ),
]


def employer_create_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return postgresql_create(PG_EMPLOYER_TRIGGERS)
    return sqlite_create(SQLITE_EMPLOYER_TRIGGERS)


def employer_drop_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return postgresql_drop(PG_EMPLOYER_TRIGGERS)
    return sqlite_drop(SQLITE_EMPLOYER_TRIGGERS)
