"""`/api/v1/indicators/`: the indicators of spec §§4-9 for the caller's scope.

- Workers and team leaders get one entry per enrolment they may see
  (`cases.selectors.enrolments_for`) and the §9 aggregates over them, in the
  shape of the `indicators` command's JSON. Every enrolment listed is written
  to the access log (purpose: case work; supervision for a team leader).
- Analysts get aggregates only, under the disclosure control of spec §11
  (`outcomes.api.disclosed`), over every enrolment.
- Administrators configure the system and read no case data: 403.

The numbers are read from the stored snapshots when every enrolment in scope
has one for the date and window asked for (the nightly job writes them for
today, window 12); otherwise they are computed through the one engine. Either
way they are added up by the same `aggregate()`. A fixed number of queries,
however many enrolments are in scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases.audit import Action, Purpose, access_log_record_many
from cases.models import Enrolment, Team, User
from cases.selectors import enrolments_for
from interventions.models import InterventionType
from outcomes.api.disclosed import disclosed_document
from outcomes.indicators.aggregates import indicators_document
from outcomes.indicators.engine import DEFAULT_WINDOW_WEEKS, EnrolmentIndicators, compute_indicators, identifier
from outcomes.indicators.store import results_from_snapshots
from outcomes.models import IndicatorSnapshot
from outcomes.selectors import snapshots_for

MAX_WINDOW_WEEKS = 104  # two years; the work per enrolment grows with the window
READERS = (User.Role.WORKER, User.Role.TEAM_LEADER, User.Role.ANALYST)


class ReadsIndicators(permissions.BasePermission):
    """Workers and team leaders (their scope) and analysts (aggregates only)."""

    message = _("Your role has no access to the indicators.")

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.role in READERS)


class IndicatorQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text="The date the indicators stand on (YYYY-MM-DD; default today, never later)."
    )
    window_weeks = serializers.IntegerField(
        required=False,
        default=DEFAULT_WINDOW_WEEKS,
        min_value=1,
        max_value=MAX_WINDOW_WEEKS,
        help_text="The window: the last W whole weeks up to the as-of date (default 12).",
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, help_text="Only enrolments of this team (its id)."
    )
    intervention = serializers.SlugRelatedField(
        slug_field="code",
        queryset=InterventionType.objects.all(),
        required=False,
        help_text="Only enrolments in this intervention (its code, e.g. mentoring).",
    )

    def validate_as_of(self, value: dt.date) -> dt.date:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The as-of date cannot be in the future."))
        return value


def indicator_results(
    enrolments: QuerySet[Enrolment], *, as_of: dt.date, window_weeks: int
) -> tuple[list[EnrolmentIndicators], str]:
    """The indicators of `enrolments` that had started by `as_of`, by pk, and where they came from.

    Stored snapshots when every one of them has a snapshot for (`as_of`,
    `window_weeks`), else computed now by the engine (a past date, another
    window, or today before the nightly job has run)."""
    started = enrolments.filter(start_date__lte=as_of)
    stored = IndicatorSnapshot.objects.filter(
        enrolment__in=started.values("pk"), as_of=as_of, window_weeks=window_weeks
    ).count()
    if stored and stored == started.count():
        snapshots = snapshots_for(started, as_of=as_of, window_weeks=window_weeks)
        return results_from_snapshots(snapshots), "snapshots"
    return compute_indicators(as_of=as_of, window_weeks=window_weeks, enrolments=started), "computed"


INDICATORS_DESCRIPTION = """\
Workers and team leaders: `enrolments` lists every enrolment in the caller's scope that had
started by `as_of` (the fields of the `indicators` command, plus `id`, the enrolment's id in this
API), and `totals`, `by_intervention` and `by_team` hold the aggregates of the indicator spec §9.

Analysts: aggregates only (`totals`, `by_intervention`, `by_team`) over every enrolment, under
disclosure control (the filters pick rows of `by_team` and `by_intervention`):
a count from 1 to 4 is shown as "<5" and the rate on it is left out (null); where such a count
could be worked out from a total, the next-smallest count of the same table is withheld as well
(null, listed in `withheld`). Shares count "yes" and "no" as two cells, so neither may be 1-4.

Administrators: 403."""


class IndicatorViewSet(viewsets.ViewSet):
    permission_classes = [ReadsIndicators]

    @extend_schema(
        parameters=[IndicatorQuerySerializer],
        description=INDICATORS_DESCRIPTION,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The indicators and their aggregates."),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors in the parameters."),
        },
    )
    def list(self, request: Request) -> Response:
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        as_of = params.get("as_of") or timezone.localdate()
        window_weeks = params["window_weeks"]
        user = request.user
        analyst = user.role == User.Role.ANALYST
        enrolments = Enrolment.objects.all() if analyst else enrolments_for(user)
        if not analyst:  # for analysts the filters pick rows of the protected tables (outcomes.api.disclosed)
            if "team" in params:
                enrolments = enrolments.filter(team=params["team"])
            if "intervention" in params:
                enrolments = enrolments.filter(intervention_type=params["intervention"])
        results, source = indicator_results(enrolments, as_of=as_of, window_weeks=window_weeks)
        header = {
            "as_of": as_of.isoformat(),
            "window_weeks": window_weeks,
            "team": params["team"].pk if "team" in params else None,
            "intervention": params["intervention"].code if "intervention" in params else None,
            "source": source,
        }
        if analyst:
            teams = [identifier(params["team"].external_id, params["team"].pk)] if "team" in params else []
            codes = [params["intervention"].code] if "intervention" in params else []
            return Response({**header, **disclosed_document(results, teams=teams, interventions=codes)})
        document = indicators_document(as_of=as_of, window_weeks=window_weeks, results=results)
        document["enrolments"] = [{"id": r.enrolment_id, **r.as_json()} for r in results]
        self._log(user, enrolments.filter(pk__in=[r.enrolment_id for r in results]))
        return Response({**header, **_without(document, "as_of", "window_weeks")})

    @staticmethod
    def _log(user: User, enrolments: QuerySet[Enrolment]) -> None:
        purpose = Purpose.SUPERVISION if user.role == User.Role.TEAM_LEADER else Purpose.CASE_WORK
        access_log_record_many(
            user=user,
            action=Action.LIST,
            purpose=purpose,
            young_person_ids=enrolments.order_by("pk").values_list("young_person_id", flat=True),
            detail="api indicators",
        )


def _without(document: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in keys}
