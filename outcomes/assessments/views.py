"""Pages reached from the young person's page: record an assessment (choose an
instrument, answer it), see one assessment's answers and scores, and record an
education or housing status change. Every page is for case workers only
(analysts and administrators: 403), shows only young people the user may see
(else 404), and logs its read; the services log the writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors as case_selectors
from cases.audit import Action, Purpose, access_log_record
from cases.decorators import case_worker_required
from cases.views.form_page import form_page
from outcomes.assessments import selectors
from outcomes.assessments.charts import format_score
from outcomes.assessments.forms import AssessmentForm, StatusChangeForm
from outcomes.instruments.models import Assessment
from outcomes.instruments.scoring import assessment_scores
from outcomes.instruments.services import assessment_record
from outcomes.services import status_event_save

OUTCOMES_ANCHOR = "#outcomes-heading"


def _back(young_person_id: int) -> str:
    return reverse("cases:young_person_detail", args=[young_person_id]) + OUTCOMES_ANCHOR


@case_worker_required
@require_GET
def assessment_choose(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = case_selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=Purpose.CASE_WORK,
        young_person=young_person,
        obj=young_person,
        detail="choose instrument",
    )
    context = {"young_person": young_person, "versions": selectors.published_versions(), "back_url": _back(pk)}
    return render(request, "outcomes/assessments/choose.html", context)


@case_worker_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    young_person = case_selectors.young_person_for(request.user, pk)
    version = selectors.published_version(version_pk)
    if request.method == "POST":
        form = AssessmentForm(request.POST, version=version)
        if form.is_valid():
            try:
                assessment = assessment_record(
                    young_person=young_person,
                    version=version,
                    respondent=form.cleaned_data["respondent"],
                    answered_on=form.cleaned_data["answered_on"],
                    answers=form.answers(),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _saved_message(assessment))
                return redirect(_back(pk))
    else:
        access_log_record(
            user=request.user,
            action=Action.READ,
            purpose=Purpose.CASE_WORK,
            young_person=young_person,
            obj=young_person,
            detail=f"assessment form {version.instrument.code}",
        )
        form = AssessmentForm(
            version=version,
            initial={"answered_on": timezone.localdate(), "respondent": Assessment.Respondent.YOUNG_PERSON},
        )
    context = {"young_person": young_person, "version": version, "form": form, "back_url": _back(pk)}
    return render(request, "outcomes/assessments/record.html", context)


def _saved_message(assessment: Assessment) -> str:
    scores = "; ".join(
        f"{s.scale.name} {format_score(s.score)}" + (f" ({s.band.label})" if s.band else "")
        for s in assessment_scores(assessment)
    )
    return _("The assessment is recorded: %(scores)s.") % {"scores": scores}


@case_worker_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=Purpose.CASE_WORK,
        young_person=assessment.young_person_id,
        obj=assessment,
    )
    answers = {
        answer.item_id: answer
        for answer in assessment.answers.select_related("item__answer_scale").prefetch_related(
            "item__answer_scale__options"
        )
    }
    rows = []
    for item in assessment.version.items.all():
        answer = answers.get(item.pk)
        label = ""
        if answer is not None:
            label = next((o.label for o in answer.item.answer_scale.options.all() if o.value == answer.value), "")
        rows.append({"item": item, "answer": answer, "label": label})
    context = {
        "assessment": assessment,
        "young_person": assessment.young_person,
        "rows": rows,
        "scores": [
            {"scale": s.scale, "score": format_score(s.score), "band": s.band, "answered": s.answered}
            for s in assessment_scores(assessment)
        ],
        "back_url": _back(assessment.young_person_id),
    }
    return render(request, "outcomes/assessments/detail.html", context)


@case_worker_required
@require_http_methods(["GET", "POST"])
def status_change_record(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = case_selectors.young_person_for(request.user, pk)
    if request.method == "GET":
        access_log_record(
            user=request.user,
            action=Action.READ,
            purpose=Purpose.CASE_WORK,
            young_person=young_person,
            obj=young_person,
            detail="status change form",
        )
    return form_page(
        request,
        form_class=StatusChangeForm,
        title=_("Record status change"),
        young_person=young_person,
        save=lambda data: status_event_save(
            young_person=young_person, domain=data["domain"], value=data["value"], date=data["date"], by=request.user
        ),
        done_message=_("The status change is recorded."),
        back_url=reverse("cases:young_person_detail", args=[pk]),
        initial={"date": timezone.localdate()},
        intro=_("Education or housing: the status applies from the date until the next change."),
    )
