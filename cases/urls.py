from __future__ import annotations

from django.urls import path

from cases.views import audit, caseload, consent, contacts, enrolments, plans, young_person

app_name = "cases"

urlpatterns = [
    path("", caseload.home, name="home"),
    path("young-people/", caseload.my_young_people, name="my_young_people"),
    path("young-people/search/", caseload.young_people_search, name="young_people_search"),
    path("young-people/<int:pk>/", young_person.young_person_detail, name="young_person_detail"),
    path("young-people/<int:pk>/contacts/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/cancel/", contacts.contact_cancel, name="contact_cancel"),
    path("young-people/<int:pk>/enrolments/new/", enrolments.enrolment_open, name="enrolment_open"),
    path("enrolments/<int:pk>/pause/", enrolments.enrolment_pause, name="enrolment_pause"),
    path("pauses/<int:pk>/resume/", enrolments.pause_resume, name="pause_resume"),
    path("enrolments/<int:pk>/hand-over/", enrolments.enrolment_hand_over, name="enrolment_hand_over"),
    path("enrolments/<int:pk>/close/", enrolments.enrolment_close, name="enrolment_close"),
    path("enrolments/<int:pk>/reopen/", enrolments.enrolment_reopen, name="enrolment_reopen"),
    path("young-people/<int:pk>/consents/new/", consent.consent_record, name="consent_record"),
    path("consents/<int:pk>/withdraw/", consent.consent_withdraw, name="consent_withdraw"),
    path("young-people/<int:pk>/plan/", plans.plan, name="plan"),
    path("young-people/<int:pk>/plan/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/goals/new/", plans.goal_add, name="goal_add"),
    path("goals/<int:pk>/achieved/", plans.goal_achieve, name="goal_achieve"),
    path("plans/<int:pk>/agreements/new/", plans.agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/done/", plans.agreement_done, name="agreement_done"),
    path("plans/<int:pk>/meetings/new/", plans.plan_meeting_add, name="plan_meeting_add"),
    # The audit trail: change history, the young person's access request, the leader's review.
    path("young-people/<int:pk>/history/", audit.change_history_page, name="change_history"),
    path("young-people/<int:pk>/access-report/", audit.access_report, name="access_report"),
    path("young-people/<int:pk>/access-report.csv", audit.access_report_csv, name="access_report_csv"),
    path("young-people/<int:pk>/data-export/", audit.data_export, name="data_export"),
    path("access-log/", audit.access_log_review, name="access_log_review"),
]
