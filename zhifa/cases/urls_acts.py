"""URLs of the acts of investigation, relative to cases/ (included by zhifa.cases.urls).

Every act is a POST to views.acts.act with its action name; the section URL re-renders one section
(htmx) and the evidence file is served, checked, to those who see the case.
"""

from django.urls import path

from zhifa.cases.views import acts

ROW_ACTS = [
    # (url name, path under <pk>/, action)
    ("case-officer-declare", "officers/<int:target>/declare/", "officer_declare"),
    ("case-officer-withdraw", "officers/<int:target>/withdraw/", "officer_withdraw"),
    ("case-recusal-decide", "recusals/<int:target>/decide/", "recusal_decide"),
    ("case-party-update", "parties/<int:target>/edit/", "party_update"),
    ("case-evidence-remove", "evidence/<int:target>/remove/", "evidence_remove"),
    ("case-statement-reexamine", "statements/<int:target>/reexamine/", "statement_reexamine"),
    ("case-hearing-record", "hearings/<int:target>/record/", "hearing_record"),
    ("case-measure-extend", "measures/<int:target>/extend/", "measure_extend"),
    ("case-measure-lift", "measures/<int:target>/lift/", "measure_lift"),
    ("case-remedy-end", "remedies/<int:target>/end/", "remedy_end"),
]
CASE_ACTS = [
    ("case-officer-assign", "officers/assign/", "officer_assign"),
    ("case-recusal-apply", "recusals/apply/", "recusal_apply"),
    ("case-party-add", "parties/add/", "party_add"),
    ("case-evidence-add", "evidence/add/", "evidence_add"),
    ("case-inspection-record", "records/inspection/", "record_inspection"),
    ("case-interview-record", "records/interview/", "record_interview"),
    ("case-statement-add", "statements/add/", "statement_add"),
    ("case-extend", "extensions/add/", "case_extend"),
    ("case-measure-start", "measures/start/", "measure_start"),
    ("case-remedy-start", "remedies/start/", "remedy_start"),
]

urlpatterns = [
    *(
        path(f"<int:pk>/{route}", acts.act, {"action": action}, name=name)
        for name, route, action in (*CASE_ACTS, *ROW_ACTS)
    ),
    path("<int:pk>/acts/<str:section>/", acts.section, name="case-acts-section"),
    path("<int:pk>/evidence/<int:evidence_id>/file/", acts.evidence_file, name="case-evidence-file"),
]
