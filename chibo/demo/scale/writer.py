"""Rows straight into the tables: COPY on PostgreSQL, batched INSERTs elsewhere.

The scale data set is written without the ORM's per-row work: every row is a
tuple in the column order its sink declares, primary keys are chosen here
(so children can point at parents before anything is written) and the
sequences are moved past them at the end. Sinks are flushed together, in
the order they were opened (parents first), each flush in its own
transaction: the foreign keys (deferred) are checked at every commit, and
PostgreSQL never queues millions of deferred checks.
"""

import json
from collections import Counter

from django.core.management.color import no_style
from django.db import connection, models, transaction

BATCH = 50_000


class Sink:
    """The rows waiting to go into one table."""

    def __init__(self, writer: "Writer", model: type[models.Model], columns: list[str]):
        self.writer = writer
        self.model = model
        self.columns = columns
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [fields[name] for name in columns]
        self.rows: list[tuple] = []

    def add(self, *values) -> None:
        # No flush from here: a row's parents may still be on their way
        # (Writer.maybe_flush is called between whole cells).
        self.rows.append(values)

    def write(self, cursor) -> int:
        if not self.rows:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        if connection.vendor == "postgresql":
            self._copy(cursor, table, names)
        else:
            self._insert(cursor, table, names)
        written, self.rows = len(self.rows), []
        return written

    def _copy(self, cursor, table: str, names: str) -> None:
        jsons = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in self.rows:
                if jsons:
                    row = list(row)
                    for i in jsons:
                        row[i] = None if row[i] is None else json.dumps(row[i])
                copy.write_row(row)

    def _insert(self, cursor, table: str, names: str) -> None:
        marks = ", ".join(["%s"] * len(self.columns))
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True)]
            for row in self.rows
        ]
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)


class Writer:
    """Opens sinks, hands out primary keys, counts what it wrote."""

    def __init__(self):
        self.sinks: list[Sink] = []
        self.counts: Counter = Counter()
        self._next_id: dict[type, int] = {}

    def sink(self, model: type[models.Model], columns: list[str]) -> Sink:
        sink = Sink(self, model, columns)
        self.sinks.append(sink)
        return sink

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self._next_id:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next_id[model] = top + 1
        value = self._next_id[model]
        self._next_id[model] = value + 1
        return value

    def maybe_flush(self) -> None:
        if any(len(sink.rows) >= BATCH for sink in self.sinks):
            self.flush()

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for sink in self.sinks:
                self.counts[sink.model._meta.db_table] += sink.write(cursor)

    def finish(self) -> None:
        """Write what is left and move each table's sequence past the keys used."""
        self.flush()
        used = list({sink.model for sink in self.sinks})
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), used):
                cursor.execute(sql)
