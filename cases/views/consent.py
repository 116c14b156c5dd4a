"""Recording and withdrawing consent."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors, services
from cases.decorators import case_worker_required
from cases.forms import ConsentForm, ConsentWithdrawForm
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
    consent = selectors.consent_for(request.user, pk)
    return form_page(
        request,
        form_class=ConsentWithdrawForm,
        title=_("Withdraw consent: %(purpose)s") % {"purpose": consent.get_purpose_display()},
        young_person=consent.young_person,
        save=lambda data: services.consent_withdraw(consent=consent, by=request.user, **data),
        done_message=_("The consent is withdrawn."),
        back_url=reverse("cases:young_person_detail", args=[consent.young_person_id]),
        initial={"withdrawn_on": timezone.localdate()},
    )
