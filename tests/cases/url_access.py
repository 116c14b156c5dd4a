"""Who may reach each URL of cases/ and of the project's own URLconf."""

from __future__ import annotations

from tests.url_access import (
    ANY_USER,
    API_LIST,
    API_PERSONAL,
    CASE_PAGE,
    LOGIN,
    PERSONAL,
    PERSONAL_WRITE,
    PUBLIC,
    Row,
    no_args,
    own_contact,
    own_enrolment,
    own_person,
    roles,
)

ROWS: dict[str, Row] = {
    "cases:home": Row("get", no_args, ANY_USER),
    "cases:my_young_people": Row("get", no_args, CASE_PAGE),
    "cases:young_people_search": Row("post", no_args, CASE_PAGE),
    "cases:young_person_detail": Row("get", own_person, PERSONAL),
    "cases:contact_create": Row("post", own_person, roles(LOGIN, 200, 200, 404, 403, 403)),
    "cases:contact_edit": Row("get", own_contact, PERSONAL),
    "cases:contact_cancel": Row("post", own_contact, PERSONAL_WRITE),
    "login": Row("get", no_args, roles(200, 302, 302, 302, 302, 302)),
    "logout": Row("post", no_args, roles(302, 302, 302, 302, 302, 302)),
    "set_language": Row("post", no_args, roles(302, 302, 302, 302, 302, 302)),
    "api-schema": Row("get", no_args, PUBLIC),
    "api-docs": Row("get", no_args, PUBLIC),
    "api-redoc": Row("get", no_args, PUBLIC),
    "young-person-list": Row("get", no_args, API_LIST),
    "young-person-detail": Row("get", own_person, API_PERSONAL),
    "enrolment-list": Row("get", no_args, API_LIST),
    "enrolment-detail": Row("get", own_enrolment, API_PERSONAL),
    "contact-list": Row("get", no_args, API_LIST),
    "contact-detail": Row("get", own_contact, API_PERSONAL),
}
