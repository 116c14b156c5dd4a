"""Recording and withdrawing consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors, services
from cases.decorators import case_worker_required
from cases.forms import ConsentForm, ConsentWithdrawForm
from cases.services.consent import consent_dependent_enrolments
from cases.views.form_page import form_page


@case_worker_required
@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    return form_page(
        request,
        form_class=ConsentForm,
        title=_("Record consent"),
        young_person=young_person,
        save=lambda data: services.consent_record(young_person=young_person, by=request.user, **data),
        done_message=_("The consent is recorded."),
        back_url=reverse("cases:young_person_detail", args=[pk]),
        initial={"given_on": timezone.localdate()},
        intro=_("The young person may decline; then record nothing."),
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a withdrawal. The page says what withdrawing means and names the
    open enrolments that rest on this consent, so the worker can follow up."""
    consent = selectors.consent_for(request.user, pk)
    back_url = reverse("cases:young_person_detail", args=[consent.young_person_id])
    if request.method == "POST":
        form = ConsentWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(consent=consent, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The consent is withdrawn."))
                return redirect(back_url)
    else:
        form = ConsentWithdrawForm(initial={"withdrawn_on": timezone.localdate()})
    context = {
        "form": form,
        "consent": consent,
        "young_person": consent.young_person,
        "title": _("Withdraw consent: %(purpose)s") % {"purpose": consent.get_purpose_display()},
        "back_url": back_url,
        "dependent_enrolments": consent_dependent_enrolments(consent=consent, on=timezone.localdate()),
    }
    return render(request, "cases/consent_withdraw.html", context)
