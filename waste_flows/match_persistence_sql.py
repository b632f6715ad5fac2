"""The statements behind match_persistence: new matches written straight into their tables, matches found again
staged and applied with set-based statements, the rest made obsolete.

The same statements run on PostgreSQL and SQLite (3.33 or later: UPDATE … FROM); only writing rows in bulk
differs (COPY on PostgreSQL, where it is several times faster than inserts; executemany on SQLite). New matches
take ids reserved in the engine's order, so that their ids follow it as before.

Columns are read from the models (their database types, their defaults), so that a field added to Match or
MatchParticipant gets its default here as it would through the ORM.
"""

import json
import re
from array import array
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format

from .enums import CLOSED_MATCH_STATUSES, MatchStatus
from .matches import Match, MatchParticipant

FOUND, STALE = "match_found", "match_stale"
HISTORY_UPDATE = "~"  # simple-history's history_type of a change
RESERVING_IDS_LOCK = 0x7074_6365_6D61_7463  # an advisory lock's key ("ptcematc"): runs reserve match ids in turn
ANALYZE_FROM_ROWS = 5000  # below, any plan is quick and analysing would cost more than it saves


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _q(model._meta.db_table)


def _column(model, name: str) -> str:
    return _q(model._meta.get_field(name).column)


def _type(model, name: str) -> str:
    return model._meta.get_field(name).db_type(connection)


def _prepared(field, value):
    return field.get_db_prep_save(value, connection)


class _JsonText(str):
    """Only a name to register _JsonTextDumper under (a typed COPY chooses dumpers by type, not by class)."""


class _JsonTextDumper(Dumper):
    """Text that is already JSON, as jsonb in binary: a version byte, then the text. psycopg's own dumper would
    serialise the string again (as a JSON string)."""

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: str) -> bytes:
        return b"\x01" + obj.encode()


def _write_rows(cursor, table: str, columns: dict[str, str], rows: Iterable[tuple]) -> None:
    """Rows into `table` in bulk; `columns`: name → database type, in the rows' order."""
    listed = ", ".join(_q(name) for name in columns)
    if connection.vendor == "postgresql":
        # Binary, with the types given: about half the time of text on both sides (no parsing of numbers,
        # no escaping of the explanations' text). Explanations are JSON text already: see _JsonTextDumper.
        psycopg_cursor = cursor.cursor
        psycopg_cursor.adapters.register_dumper(_JsonText, _JsonTextDumper)
        types = [re.sub(r"\(\d+\)$", "", kind) for kind in columns.values()]  # varchar(120) → varchar
        with psycopg_cursor.copy(f"COPY {table} ({listed}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", rows)


def known_keys(cursor, keys: list[str]) -> set[str]:
    """Those of `keys` that a match already holds (obsolete or closed ones included)."""
    key = _column(Match, "key")
    if connection.vendor == "postgresql":
        cursor.execute(f"SELECT {key} FROM {_table(Match)} WHERE {key} = ANY(%s)", [keys])
    else:  # one parameter whatever the number of keys (SQLite limits them)
        cursor.execute(f"SELECT {key} FROM {_table(Match)} WHERE {key} IN (SELECT value FROM json_each(%s))",
                       [json.dumps(keys)])  # fmt: skip
    return {key for (key,) in cursor.fetchall()}


def insert_new(cursor, rows: Iterable[tuple], *, count: int, refreshed: list[str], run_id: int, now) -> int:
    """Matches that no row holds yet, written straight into their tables with their stream links and
    participants: no staging, nothing to compare. `rows` as Staging.fill takes them, `count` of them."""
    if not count:
        return 0
    staged = ["key", "kind", "material_id", *refreshed]
    given = {"first_run_id": run_id, "last_run_id": run_id, "created_at": now, "updated_at": now}
    other_columns, defaults = _other_columns(Match, set(staged), given)
    columns = {"id": _type(Match, "id")} | {Match._meta.get_field(name).column: _type(Match, name) for name in staged}
    columns |= other_columns
    ids = _reserved_ids(cursor, count)  # before the copy: no other statement can run during it
    links, participants = array("q"), array("q")  # (match id, stream or member id) pairs, flat

    def matches():
        for match_id, row in zip(ids, rows, strict=True):
            yield (match_id, *row[1:-2], *defaults)
            for stream_id in row[-2]:
                links.extend((match_id, stream_id))
            for member_id in row[-1]:
                participants.extend((match_id, member_id))

    _write_rows(cursor, _table(Match), columns, matches())
    _write_pairs(cursor, Match.streams.through, "stream", links)
    _write_pairs(cursor, MatchParticipant, "member", participants)
    return count


def _reserved_ids(cursor, count: int) -> range:
    """`count` consecutive new ids for matches, that no other insertion will take."""
    table, pk = _table(Match), _column(Match, "id")
    if connection.vendor == "postgresql":
        # One move of the sequence rather than `count` calls of nextval (a second per 300,000 ids). Runs take
        # turns (the lock, held until commit), so that two moves cannot interleave and send the sequence back; a
        # row inserted by other means in between would make one transaction fail on the primary key, never share it.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESERVING_IDS_LOCK])
        cursor.execute(
            "SELECT setval(sequence, nextval(sequence) + %s - 1) FROM pg_get_serial_sequence(%s, %s) AS sequence",
            [count, Match._meta.db_table, Match._meta.pk.column],
        )
    else:
        # SQLite (AUTOINCREMENT): after every id used so far, deleted rows' included; one writer at a time.
        cursor.execute(
            f"SELECT max(coalesce((SELECT max({pk}) FROM {table}), 0), "
            f"coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) + %s",
            [Match._meta.db_table, count],
        )
    (last,) = cursor.fetchone()
    return range(last - count + 1, last + 1)


def _other_columns(model, written: set[str], given: dict | None = None) -> tuple[dict[str, str], tuple]:
    """The columns of `model` that a bulk write does not take from its rows (neither the primary key nor the
    `written` attnames): name → database type, and each one's value, from `given` or the field's default."""
    given = given or {}
    others = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in written]
    values = tuple(_prepared(f, given[f.attname] if f.attname in given else f.get_default()) for f in others)
    return {f.column: f.db_type(connection) for f in others}, values


def _write_pairs(cursor, model, target: str, pairs: array) -> None:
    """(match id, `target` id) pairs as rows of `model`, its other columns at their defaults."""
    fixed = {model._meta.get_field("match").attname, model._meta.get_field(target).attname}
    other_columns, defaults = _other_columns(model, fixed)
    columns = {_column(model, "match"): _type(model, "match"), _column(model, target): _type(model, target)}
    columns |= other_columns
    rows = ((pairs[i], pairs[i + 1], *defaults) for i in range(0, len(pairs), 2))
    _write_rows(cursor, _table(model), columns, rows)


class Staging:
    """A temporary table holding the matches a run found again, and the statements that apply them."""

    def __init__(self, cursor, refreshed: list[str]) -> None:
        self.cursor = cursor
        self.refreshed = refreshed
        self.postgres = connection.vendor == "postgresql"
        # SQLite before 3.39 has no IS DISTINCT FROM; its IS NOT means the same.
        self.differs = "IS DISTINCT FROM" if self.postgres else "IS NOT"
        self.columns = self._columns()

    def _columns(self) -> dict[str, str]:
        """Staged column → its type in the staging table: the Match column's, and the streams and members of each
        match as arrays (SQLite: JSON arrays, read with json_each)."""
        columns = {"seq": "integer"}
        for name in ("key", "kind", "material_id", *self.refreshed):
            columns[name] = Match._meta.get_field(name).db_type(connection)
        for name, model, target in (
            ("stream_ids", Match.streams.through, "stream"),
            ("member_ids", MatchParticipant, "member"),
        ):
            columns[name] = f"{_type(model, target)}[]" if self.postgres else "text"
        return columns

    def create(self) -> None:
        self.drop()  # defensive: temporary tables live as long as the connection, which Django may keep
        for table, columns in ((FOUND, self.columns), (STALE, {"id": _type(Match, "id")})):
            listed = ", ".join(f"{_q(name)} {kind}" for name, kind in columns.items())
            self.cursor.execute(f"CREATE TEMPORARY TABLE {table} ({listed})")

    def fill(self, rows: Iterable[tuple], *, count: int) -> None:
        """Stage (seq, key, kind, material id, *refreshed, stream ids, member ids) rows, `count` of them."""
        if not self.postgres:
            rows = ((*row[:-2], json.dumps(row[-2]), json.dumps(row[-1])) for row in rows)
        _write_rows(self.cursor, FOUND, self.columns, rows)
        if self.postgres and count > ANALYZE_FROM_ROWS:
            # Temporary tables are never analysed automatically; without statistics the joins below on
            # hundreds of thousands of rows may be planned as nested loops. Only the join columns matter.
            self.cursor.execute(f"ANALYZE {FOUND} ({_q('seq')}, {_q('key')})")

    def refresh_existing(self, kind: str, owned: tuple[str, ...], *, run_id: int) -> int:
        """Refresh the figures `kind` owns on the matches found again where one changed, or that were obsolete."""
        match, status = _table(Match), _column(Match, "status")
        assignments = ", ".join(f"{_column(Match, name)} = f.{_q(name)}" for name in owned)
        # The explanation last: comparing JSON costs most, and any other difference settles it first.
        compared = sorted(owned, key=lambda name: name == "explanation")
        changed = " OR ".join(f"m.{_column(Match, name)} {self.differs} f.{_q(name)}" for name in compared)
        self.cursor.execute(
            f"UPDATE {match} AS m SET {assignments}, "
            f"{status} = CASE WHEN m.{status} = %s THEN %s ELSE m.{status} END, {_column(Match, 'last_run')} = %s "
            f"FROM {FOUND} AS f WHERE m.{_column(Match, 'key')} = f.{_q('key')} AND f.{_q('kind')} = %s "
            f"AND (m.{status} = %s OR {changed})",
            [MatchStatus.OBSOLETE, MatchStatus.SUGGESTED, run_id, kind, MatchStatus.OBSOLETE],
        )
        return self.cursor.rowcount

    def link_streams_and_members(self) -> int:
        """Streams and participants of the matches found again, added where missing (people's answers stay);
        returns how many were added."""
        return self._add_missing(Match.streams.through, "stream", "stream_ids") + self._add_missing(
            MatchParticipant, "member", "member_ids"
        )

    def _add_missing(self, model, target: str, staged: str) -> int:
        match_column, target_column, pk = _column(model, "match"), _column(model, target), _column(Match, "id")
        fixed = {model._meta.get_field("match").attname, model._meta.get_field(target).attname}
        others = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in fixed]
        columns = ", ".join([match_column, target_column, *(_q(f.column) for f in others)])
        selected = ", ".join([f"m.{pk}", "e.value", *(["%s"] * len(others))])
        elements = f"unnest(f.{_q(staged)}) AS e(value)" if self.postgres else f"json_each(f.{_q(staged)}) AS e"
        self.cursor.execute(
            f"INSERT INTO {_table(model)} ({columns}) SELECT {selected} FROM {FOUND} AS f CROSS JOIN {elements} "
            f"JOIN {_table(Match)} AS m ON m.{_column(Match, 'key')} = f.{_q('key')} "
            f"WHERE NOT EXISTS (SELECT 1 FROM {_table(model)} AS l WHERE l.{match_column} = m.{pk} "
            f"AND l.{target_column} = e.value) ORDER BY f.{_q('seq')}",
            [_prepared(f, f.get_default()) for f in others],
        )
        return self.cursor.rowcount

    def obsolete_the_rest(self, *, only: frozenset[int] | None, run_id: int, now) -> int:
        """Matches neither found again nor new in this run become obsolete, with a history record, unless
        closed; an incremental run (`only`) looks only at the matches of its streams."""
        match, status = _table(Match), _column(Match, "status")
        kept = [*CLOSED_MATCH_STATUSES, MatchStatus.OBSOLETE]
        condition = f"m.{status} NOT IN (%s, %s, %s) AND m.{_column(Match, 'first_run')} {self.differs} %s"
        params = [*kept, run_id]
        if only is not None:
            # One small set of ids from three indexed lookups (an OR across them would scan every match).
            ids = sorted(only)
            marks = ", ".join(["%s"] * len(ids))
            through, pk = Match.streams.through, _column(Match, "id")
            condition += (
                f" AND m.{pk} IN (SELECT {_column(through, 'match')} FROM {_table(through)} "
                f"WHERE {_column(through, 'stream')} IN ({marks}) "
                f"UNION SELECT {pk} FROM {match} WHERE {_column(Match, 'offer')} IN ({marks}) "
                f"UNION SELECT {pk} FROM {match} WHERE {_column(Match, 'need')} IN ({marks}))"
            )
            params += ids * 3
        self.cursor.execute(
            f"INSERT INTO {STALE} (id) SELECT m.{_column(Match, 'id')} FROM {match} AS m WHERE {condition} "
            f"AND NOT EXISTS (SELECT 1 FROM {FOUND} AS f WHERE f.{_q('key')} = m.{_column(Match, 'key')})",
            params,
        )
        self.cursor.execute(
            f"UPDATE {match} SET {status} = %s WHERE {_column(Match, 'id')} IN (SELECT id FROM {STALE})",
            [MatchStatus.OBSOLETE],
        )
        obsoleted = self.cursor.rowcount
        if obsoleted and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            self._record_history(now)
        return obsoleted

    def _record_history(self, now) -> None:
        """What simple-history's bulk_update_with_history writes: one "changed" record per match, with the
        user of the request if there is one (a run started from a page and executed eagerly)."""
        history = Match.history.model
        tracked = [f.name for f in history.tracked_fields]
        columns = ", ".join(_column(history, name) for name in tracked)
        selected = ", ".join(f"m.{_column(Match, name)}" for name in tracked)
        user = history.get_default_history_user(Match())
        extra = ["history_date", "history_change_reason", "history_type", "history_user"]
        self.cursor.execute(
            f"INSERT INTO {_table(history)} ({columns}, {', '.join(_column(history, name) for name in extra)}) "
            f"SELECT {selected}, %s, NULL, %s, %s FROM {_table(Match)} AS m "
            f"WHERE m.{_column(Match, 'id')} IN (SELECT id FROM {STALE}) ORDER BY m.{_column(Match, 'id')}",
            [_prepared(history._meta.get_field("history_date"), now), HISTORY_UPDATE, user.pk if user else None],
        )

    def drop(self) -> None:
        for table in (FOUND, STALE):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")
