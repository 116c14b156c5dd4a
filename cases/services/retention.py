"""The data lifecycle (issue #7, docs/SECURITY.md): closed cases and the access
log are deleted when their retention period has run out.

Closed cases. An enrolment whose end date lies more than
`CASE_RETENTION_YEARS` years before today (local date) is purged with
everything recorded about it; its young person goes too when no other
enrolment remains. One batch of enrolments is one transaction:

1. lock the batch's enrolments and young people and work out, by id, every
   row that goes (`purge_plan`): the enrolment's own rows, the methods'
   records tied to it, its indicator rows and, for a young person who goes,
   her person-level records. Shared records (a group activity, a mediation
   case, a parent council, a mentor) stay; only the person's link to them goes;
2. write every such row, and the simple-history rows of each, as plain JSON to
   `<RETENTION_ARCHIVE_DIR>/closed-cases-<run time>-<batch>.json.pending`
   (a temporary file, flushed, then renamed). If that fails nothing is deleted;
3. delete the rows children first, then their history rows and Django admin
   log entries, and record one access-log row (action "delete") per young
   person; then check every foreign key. Any failure rolls the batch back and
   removes the pending archive;
4. after the commit, rename the archive to `...json`.

A worker that dies between 2 and 4 leaves a `.pending` file. The next run
resolves it before it starts (`archives_reconcile`): when the enrolments it
lists are gone the batch committed and the file is renamed; when they are
still there it did not, the file is removed, and those rows are archived
again with the batch that purges them. So a `.json` archive always describes
a committed purge, and running the job twice purges nothing the second time.

Access log. Rows older than `ACCESS_LOG_RETENTION_DAYS` days are deleted in
batches, one transaction each (`access_log_purge`).

Both jobs take a dry run that reports what would go (ids and counts, never a
name or a CPR number) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from cases.audit import Action, Purpose, access_log_record_many
from cases.models import (
    AccessLog,
    ActionPlan,
    Agreement,
    Consent,
    Contact,
    Enrolment,
    EnrolmentCorrection,
    Goal,
    Handover,
    Pause,
    PlanMeeting,
    PrimaryWorkerPeriod,
    YoungPerson,
)
from interventions.models import (
    Bridging,
    FollowUpFlag,
    GroupAttendance,
    HousingGoal,
    Match,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MenteeProfile,
    MentorContact,
    NetworkRelation,
    ParentCouncilFamily,
    ParentCouncilParent,
)
from outcomes.freshness import everything_changed
from outcomes.models import Answer, Assessment, IndicatorSnapshot, StatusEvent, WeeklyContactFact

# Enrolments per transaction. A batch holds its rows in memory for the archive;
# 200 closed enrolments with their contacts is a few megabytes.
DEFAULT_BATCH_SIZE = 200
ACCESS_LOG_BATCH_SIZE = 10_000
# Ids per DELETE statement (SQLite allows at most 32,766 parameters).
ID_CHUNK = 5_000
ARCHIVE_PREFIX = "closed-cases-"
PENDING_SUFFIX = ".pending"
# One purge at a time: a second run would resolve the first one's pending archive.
ADVISORY_LOCK_KEY = 7_202_607  # arbitrary, unique to this job

# Every model the purge deletes from, children before parents. A young person's
# own records come after her enrolments.
PURGE_ORDER: tuple[type[models.Model], ...] = (
    Answer,
    Assessment,
    MentorContact,
    GroupAttendance,
    Bridging,
    FollowUpFlag,
    HousingGoal,
    WeeklyContactFact,
    IndicatorSnapshot,
    Pause,
    PrimaryWorkerPeriod,
    Handover,
    EnrolmentCorrection,
    Contact,
    Match,
    Enrolment,
    Agreement,
    Goal,
    PlanMeeting,
    ActionPlan,
    Consent,
    NetworkRelation,
    MenteeProfile,
    ParentCouncilParent,
    ParentCouncilFamily,
    MediationPreparation,
    MediationParent,
    MediationParty,
    StatusEvent,
    YoungPerson,
)

# Relations into purged rows that stay on purpose: the access log outlives the
# person until its own retention period (its foreign key is not enforced).
KEPT_RELATIONS: frozenset[tuple[type[models.Model], str]] = frozenset({(AccessLog, "young_person")})


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _chunks(ids: list[int], size: int = ID_CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


# --- Which enrolments ------------------------------------------------------------------------


def retention_cutoff(*, today: dt.date | None = None, years: int | None = None) -> dt.date:
    """The first end date that is kept: enrolments that ended before it are purged."""
    today = today or timezone.localdate()
    years = settings.CASE_RETENTION_YEARS if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def expired_enrolments(*, cutoff: dt.date) -> models.QuerySet[Enrolment]:
    """Closed enrolments whose end date lies before `cutoff`, a person's enrolments together."""
    return Enrolment.objects.filter(end_date__isnull=False, end_date__lt=cutoff).order_by("young_person_id", "id")


# --- What goes with them ---------------------------------------------------------------------


@dataclass
class PurgePlan:
    """The ids of every row a purge deletes, per model."""

    enrolment_ids: list[int]
    young_person_ids: list[int]  # the people deleted because no enrolment of theirs remains
    ids: dict[type[models.Model], list[int]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {_label(model): len(self.ids.get(model, [])) for model in PURGE_ORDER if self.ids.get(model)}

    @property
    def empty(self) -> bool:
        return not self.enrolment_ids


def _ids(queryset: models.QuerySet) -> list[int]:
    return sorted(set(queryset.values_list("pk", flat=True)))


def purge_plan(*, enrolment_ids: Iterable[int]) -> PurgePlan:
    """Every row that goes with these enrolments, found before anything is deleted."""
    enrolments = sorted(set(enrolment_ids))
    people = set(Enrolment.objects.filter(pk__in=enrolments).values_list("young_person_id", flat=True))
    keeping = set(
        Enrolment.objects.filter(young_person_id__in=people)
        .exclude(pk__in=enrolments)
        .values_list("young_person_id", flat=True)
    )
    leaving = sorted(people - keeping)

    ids: dict[type[models.Model], list[int]] = {Enrolment: enrolments, YoungPerson: leaving}
    by_enrolment = {"enrolment_id__in": enrolments}
    ids[Contact] = _ids(Contact.objects.filter(**by_enrolment))
    ids[Match] = _ids(Match.objects.filter(**by_enrolment))
    ids[MentorContact] = _ids(MentorContact.objects.filter(Q(contact_id__in=ids[Contact]) | Q(match_id__in=ids[Match])))
    for model in (GroupAttendance, Bridging):
        ids[model] = _ids(model.objects.filter(Q(**by_enrolment) | Q(contact_id__in=ids[Contact])))
    for model in (
        FollowUpFlag,
        HousingGoal,
        WeeklyContactFact,
        IndicatorSnapshot,
        Pause,
        PrimaryWorkerPeriod,
        Handover,
        EnrolmentCorrection,
    ):
        ids[model] = _ids(model.objects.filter(**by_enrolment))
    ids[Assessment] = _ids(Assessment.objects.filter(Q(**by_enrolment) | Q(young_person_id__in=leaving)))
    ids[Answer] = _ids(Answer.objects.filter(assessment_id__in=ids[Assessment]))

    by_person = {"young_person_id__in": leaving}
    ids[ActionPlan] = _ids(ActionPlan.objects.filter(**by_person))
    for model in (Goal, Agreement, PlanMeeting):
        ids[model] = _ids(model.objects.filter(plan_id__in=ids[ActionPlan]))
    for model in (Consent, NetworkRelation, MenteeProfile, ParentCouncilFamily, MediationParty, StatusEvent):
        ids[model] = _ids(model.objects.filter(**by_person))
    ids[ParentCouncilParent] = _ids(ParentCouncilParent.objects.filter(family_id__in=ids[ParentCouncilFamily]))
    ids[MediationParent] = _ids(MediationParent.objects.filter(party_id__in=ids[MediationParty]))
    ids[MediationPreparation] = _ids(MediationPreparation.objects.filter(party_id__in=ids[MediationParty]))
    return PurgePlan(enrolment_ids=enrolments, young_person_ids=leaving, ids=ids)


def unplanned_relations() -> list[str]:
    """Relations into a purged model from a model the purge does not know.

    A new model with a foreign key to an enrolment (or a contact, a young
    person...) must be added to PURGE_ORDER and `purge_plan`, or to
    KEPT_RELATIONS; until then the purge refuses to run, rather than leave the
    new rows behind or have the database refuse the delete halfway."""
    planned = set(PURGE_ORDER)
    problems = []
    for model in PURGE_ORDER:
        for relation in model._meta.related_objects:
            related = relation.related_model
            if relation.many_to_many:  # rows of the M2M table are deleted with the row
                continue
            if related in planned or related._meta.auto_created:  # auto-created: an M2M table, deleted below
                continue
            if getattr(related, "instance_type", None) is not None:  # a simple-history model, deleted below
                continue
            if (related, relation.field.name) in KEPT_RELATIONS:
                continue
            problems.append(f"{_label(related)}.{relation.field.name} -> {_label(model)}")
    return problems


# --- The archive -----------------------------------------------------------------------------


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def _history_rows(model: type[models.Model], ids: list[int]) -> models.QuerySet | None:
    history = _history_model(model)
    if history is None or not ids:
        return None
    return history._base_manager.filter(**{f"{model._meta.pk.attname}__in": ids})


def _history_children(history_rows: models.QuerySet) -> list[models.QuerySet]:
    """Rows that point at historical rows: the history of many-to-many fields (a person's problem areas)."""
    return [
        relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": history_rows.values("pk")})
        for relation in history_rows.model._meta.related_objects
    ]


def _log_entries(model: type[models.Model], ids: list[int]) -> models.QuerySet:
    content_type = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids])


def _serialize(queryset: models.QuerySet) -> list[dict[str, Any]]:
    return serializers.serialize("python", queryset.order_by("pk").iterator(chunk_size=2000))


def archive_content(*, plan: PurgePlan, cutoff: dt.date, run_at: dt.datetime) -> dict[str, Any]:
    """Every row the plan deletes, with its history rows and admin log entries, as plain data."""
    rows: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    admin_log: list[dict[str, Any]] = []
    for model in PURGE_ORDER:
        ids = plan.ids.get(model, [])
        if not ids:
            continue
        for chunk in _chunks(ids):
            rows += _serialize(model._base_manager.filter(pk__in=chunk))
            history_rows = _history_rows(model, chunk)
            if history_rows is not None:
                history += _serialize(history_rows)
                for relation in _history_children(history_rows):
                    history += _serialize(relation)
            admin_log += _serialize(_log_entries(model, chunk))
    return {
        "job": "purge_closed_cases",
        "run_at": run_at.isoformat(),
        "cutoff": cutoff.isoformat(),
        "retention_years": settings.CASE_RETENTION_YEARS,
        "enrolment_ids": plan.enrolment_ids,
        "young_person_ids": plan.young_person_ids,
        "counts": plan.counts(),
        "rows": rows,
        "history": history,
        "admin_log": admin_log,
    }


def _write_atomically(path: Path, content: dict[str, Any]) -> None:
    """Write JSON to a temporary file beside `path`, flush it to disk, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file, cls=DjangoJSONEncoder, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)  # personal data: readable by the service account only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def archive_dir() -> Path:
    return Path(settings.RETENTION_ARCHIVE_DIR)


def archives_reconcile(*, directory: Path | None = None) -> dict[str, list[str]]:
    """Resolve the `.pending` archives a dead worker left (see the module docstring)."""
    directory = directory or archive_dir()
    done: dict[str, list[str]] = {"committed": [], "removed": []}
    if not directory.is_dir():
        return done
    for pending in sorted(directory.glob(f"{ARCHIVE_PREFIX}*.json{PENDING_SUFFIX}")):
        try:
            enrolment_ids = json.loads(pending.read_text(encoding="utf-8"))["enrolment_ids"]
        except (ValueError, KeyError):  # cut short while it was written: it cannot have committed
            enrolment_ids = None
        if enrolment_ids is not None and not Enrolment.objects.filter(pk__in=enrolment_ids).exists():
            final = pending.with_name(pending.name.removesuffix(PENDING_SUFFIX))
            os.replace(pending, final)
            done["committed"].append(final.name)
        else:
            pending.unlink()
            done["removed"].append(pending.name)
    return done


# --- Deleting --------------------------------------------------------------------------------


def _raw_delete(queryset: models.QuerySet) -> int:
    # A plain DELETE: no per-row signals, so simple-history writes no "deleted"
    # copy of each row, and no cascade behind our back; the order above deletes
    # children first and the foreign-key check at the end proves nothing was missed.
    return queryset._raw_delete(queryset.db)


def _delete_rows(model: type[models.Model], ids: list[int]) -> None:
    for chunk in _chunks(ids):
        # Rows of many-to-many tables on either side (a person's problem areas,
        # a plan meeting's staff, the council meetings a parent attended).
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            _raw_delete(through._base_manager.filter(**{f"{m2m.m2m_field_name()}_id__in": chunk}))
        for relation in model._meta.related_objects:
            if relation.many_to_many:
                through = relation.field.remote_field.through
                target = relation.field.m2m_reverse_field_name()
                _raw_delete(through._base_manager.filter(**{f"{target}_id__in": chunk}))
        _raw_delete(model._base_manager.filter(pk__in=chunk))


def _delete_history(model: type[models.Model], ids: list[int]) -> None:
    for chunk in _chunks(ids):
        _raw_delete(_log_entries(model, chunk))
        history_rows = _history_rows(model, chunk)
        if history_rows is None:
            continue
        history_ids = list(history_rows.values_list("pk", flat=True))
        for children in _history_children(history_rows):
            _raw_delete(children)
        _raw_delete(history_rows.model._base_manager.filter(pk__in=history_ids))


def _log_purge(plan: PurgePlan) -> None:
    """One access-log row per young person whose enrolments went, and one per person deleted."""
    by_person: dict[int, list[int]] = {}
    for person_id, enrolment_id in Enrolment.objects.filter(pk__in=plan.enrolment_ids).values_list(
        "young_person_id", "pk"
    ):
        by_person.setdefault(person_id, []).append(enrolment_id)
    for person_id, enrolment_ids in by_person.items():
        # The detail holds 200 characters; long lists of ids take several rows.
        line: list[str] = []
        for enrolment_id in enrolment_ids:
            if len(", ".join([*line, str(enrolment_id)])) > 150:
                _log_enrolments(person_id, line)
                line = []
            line.append(str(enrolment_id))
        _log_enrolments(person_id, line)
    if plan.young_person_ids:
        access_log_record_many(
            user=None,
            action=Action.DELETE,
            purpose=Purpose.RETENTION,
            young_person_ids=plan.young_person_ids,
            detail="retention purge: young person deleted",
        )


def _log_enrolments(person_id: int, enrolment_ids: list[str]) -> None:
    access_log_record_many(
        user=None,
        action=Action.DELETE,
        purpose=Purpose.RETENTION,
        young_person_ids=[person_id],
        detail=f"retention purge: enrolments {', '.join(enrolment_ids)}",
    )


# --- The job ---------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    cutoff: dt.date
    dry_run: bool
    enrolment_ids: list[int] = field(default_factory=list)
    young_person_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    archives: list[str] = field(default_factory=list)
    reconciled: dict[str, list[str]] = field(default_factory=dict)

    def add(self, plan: PurgePlan) -> None:
        self.enrolment_ids += plan.enrolment_ids
        self.young_person_ids += plan.young_person_ids
        for label, count in plan.counts().items():
            self.counts[label] = self.counts.get(label, 0) + count

    def summary(self) -> str:
        verb = "would purge" if self.dry_run else "purged"
        return (
            f"{verb} {len(self.enrolment_ids)} enrolments closed before {self.cutoff.isoformat()} "
            f"and {len(self.young_person_ids)} young people"
        )


def _purge_batch(*, enrolment_ids: list[int], cutoff: dt.date, run_at: dt.datetime, path: Path) -> PurgePlan:
    pending = path.with_name(path.name + PENDING_SUFFIX)
    try:
        with transaction.atomic(durable=True):
            # Lock the batch and check it again: a mistaken closing may have been reopened since.
            locked = list(
                expired_enrolments(cutoff=cutoff)
                .filter(pk__in=enrolment_ids)
                .select_for_update()
                .values_list("pk", "young_person_id")
            )
            list(YoungPerson.objects.filter(pk__in={person for _, person in locked}).select_for_update().values("pk"))
            plan = purge_plan(enrolment_ids=[pk for pk, _ in locked])
            if plan.empty:
                return plan
            _write_atomically(pending, archive_content(plan=plan, cutoff=cutoff, run_at=run_at))
            _log_purge(plan)
            for model in PURGE_ORDER:
                _delete_rows(model, plan.ids.get(model, []))
            for model in PURGE_ORDER:
                _delete_history(model, plan.ids.get(model, []))
            # Raise here, inside the transaction, if any row still points at a deleted one.
            connection.check_constraints()
            # The deletes above send no signals: cached dashboards must forget the purged people.
            everything_changed()
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    os.replace(pending, path)
    return plan


class _RunLock:
    """A PostgreSQL advisory lock for the length of a run; SQLite runs one writer anyway."""

    def __enter__(self) -> bool:
        if connection.vendor != "postgresql":
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            self.held = bool(cursor.fetchone()[0])
        return self.held

    def __exit__(self, *exc: object) -> None:
        if connection.vendor == "postgresql" and self.held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


class PurgeAlreadyRunning(RuntimeError):
    pass


def closed_cases_purge(
    *,
    dry_run: bool,
    today: dt.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    directory: Path | None = None,
) -> PurgeResult:
    """Archive and delete the enrolments closed before the retention cutoff (dry run: only report them)."""
    problems = unplanned_relations()
    if problems:
        raise ImproperlyConfigured("The retention purge does not know: " + "; ".join(problems))
    cutoff = retention_cutoff(today=today)
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    if dry_run:
        result.add(purge_plan(enrolment_ids=expired_enrolments(cutoff=cutoff).values_list("pk", flat=True)))
        return result
    directory = directory or archive_dir()
    run_at = timezone.now()
    stamp = run_at.strftime("%Y%m%dT%H%M%S%fZ")
    with _RunLock() as held:
        if not held:
            raise PurgeAlreadyRunning("Another purge of closed cases is running.")
        result.reconciled = archives_reconcile(directory=directory)
        batch_number = 0
        while True:
            batch = list(expired_enrolments(cutoff=cutoff).values_list("pk", flat=True)[:batch_size])
            if not batch:
                break
            batch_number += 1
            path = directory / f"{ARCHIVE_PREFIX}{stamp}-{batch_number:03d}.json"
            plan = _purge_batch(enrolment_ids=batch, cutoff=cutoff, run_at=run_at, path=path)
            if plan.empty:  # reopened between the two reads; the next read will not find them
                continue
            result.add(plan)
            result.archives.append(path.name)
    return result


# --- The access log --------------------------------------------------------------------------


@dataclass
class AccessLogPurgeResult:
    before: dt.datetime
    dry_run: bool
    count: int = 0
    first_id: int | None = None
    last_id: int | None = None

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        ids = f" (ids {self.first_id}..{self.last_id})" if self.count else ""
        return f"{verb} {self.count} access-log rows older than {self.before.isoformat()}{ids}"


def access_log_cutoff(*, now: dt.datetime | None = None, days: int | None = None) -> dt.datetime:
    days = settings.ACCESS_LOG_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - dt.timedelta(days=days)


def access_log_purge(
    *, dry_run: bool, now: dt.datetime | None = None, batch_size: int = ACCESS_LOG_BATCH_SIZE
) -> AccessLogPurgeResult:
    """Delete the access-log rows older than the retention period, a batch per transaction."""
    before = access_log_cutoff(now=now)
    expired = AccessLog.objects.filter(at__lt=before)
    result = AccessLogPurgeResult(before=before, dry_run=dry_run)
    if dry_run:
        figures = expired.aggregate(count=models.Count("pk"), first=models.Min("pk"), last=models.Max("pk"))
        result.count, result.first_id, result.last_id = figures["count"], figures["first"], figures["last"]
        return result
    while True:
        ids = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return result
        with transaction.atomic(durable=True):
            deleted = _raw_delete(AccessLog.objects.filter(pk__in=ids, at__lt=before))
        result.count += deleted
        result.first_id = ids[0] if result.first_id is None else result.first_id
        result.last_id = ids[-1]
