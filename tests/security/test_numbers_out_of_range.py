"""Every integer and decimal field refuses an out-of-range number with a message (#4).

Before the fix, `participants` set to 400 nines raised OverflowError inside WTForms'
NumberRange (it calls math.isnan on the int): a 500. Hypothesis posts huge numbers, exponents,
infinities and NaN to every numeric field of every form: the activity form (new and edit), the
yearly plan, the runtime-built stage forms (integer, decimal and money fields, in a group too)
and the observatory report. Every answer is a refusal with a message, never a 500. A structural
test keeps plain WTForms number fields out of the code: they must use the bounded field.
"""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st
from security_fuzz import FUZZ, REPORT_YEAR, Cast, has_error
from sqlalchemy import func, select

from accompagnement.extensions import db

HOSTILE = st.one_of(
    st.integers(16, 4400).map(lambda digits: "9" * digits),
    st.integers(16, 4400).map(lambda digits: "-" + "9" * digits),
    st.integers(10**16, 10**40).map(str),
    st.sampled_from(
        [
            "9" * 400,
            "1e400",
            "1E+999999999",
            "-1e-999999999",
            "1e16",
            "inf",
            "-inf",
            "Infinity",
            "nan",
            "NaN",
            "sNaN",
            "1e",
            "0x10",
            "١٢٣",
        ]
    ),
)

# (name, url with {project}/{member}/{year}, posted field, id of its error, other fields)
STAGE = {"action": "draft", "base_revision": "0"}
FIELDS = [
    ("activity participants", "/activities/new", "participants", "participants", None),
    (
        "stage integer",
        "/projects/{project}/forms/premier_contact/edit",
        "population",
        "f-population",
        STAGE,
    ),
    (
        "stage integer in a group",
        "/projects/{project}/forms/visites/edit",
        "visits-0-days",
        "f-visits-0-days",
        STAGE,
    ),
    ("stage decimal", "/projects/{project}/forms/dla/edit", "days", "f-days", STAGE),
    ("stage money", "/projects/{project}/forms/dla/edit", "cost", "f-cost", STAGE),
    (
        "observatory count",
        "/observatory/members/{member}/{year}",
        "volunteers",
        "volunteers",
        {"revision": "0"},
    ),
    (
        "observatory decimal",
        "/observatory/members/{member}/{year}",
        "fte",
        "fte",
        {"revision": "0"},
    ),
]
ACTIVITY = {"date": "2024-01-02", "type": "animation", "title": "Atelier", "status": "done"}


def _post(cast: Cast, url: str, field: str, value: str, extra: dict[str, str] | None) -> object:
    data = dict(ACTIVITY if extra is None else extra) | {field: value}
    target = url.format(
        project=cast.people.project_id, member=cast.people.member_org_id, year=REPORT_YEAR
    )
    return cast.client.post(target, data=data, headers={"Accept-Language": "en"})


@pytest.mark.parametrize(("name", "url", "field", "error_id", "extra"), FIELDS)
def test_four_hundred_nines_are_refused_with_a_message(
    cast: Cast, name: str, url: str, field: str, error_id: str, extra: dict[str, str] | None
) -> None:
    response = _post(cast, url, field, "9" * 400, extra)
    assert response.status_code == 400, name  # type: ignore[attr-defined]
    assert has_error(response, error_id), name


@FUZZ
@given(data=st.data())
def test_no_numeric_field_accepts_a_hostile_number(cast: Cast, data: st.DataObject) -> None:
    name, url, field, error_id, extra = data.draw(st.sampled_from(FIELDS))
    value = data.draw(HOSTILE)
    response = _post(cast, url, field, value, extra)
    assert response.status_code == 400, (name, value)  # type: ignore[attr-defined]
    assert has_error(response, error_id), (name, value)


@FUZZ
@given(value=HOSTILE)
def test_an_activity_edit_refuses_a_hostile_number(cast: Cast, value: str) -> None:
    from accompagnement.activities.models import Activity

    activity_id = db.session.scalar(select(func.min(Activity.id)))
    if activity_id is None:
        created = _post(cast, "/activities/new", "participants", "12", None)
        assert created.status_code == 302  # type: ignore[attr-defined]
        activity_id = db.session.scalar(select(func.min(Activity.id)))
    response = _post(cast, f"/activities/{activity_id}/edit", "participants", value, None)
    assert response.status_code == 400, value  # type: ignore[attr-defined]
    assert has_error(response, "participants")


@FUZZ
@given(value=HOSTILE)
def test_the_yearly_plan_refuses_a_hostile_year(cast: Cast, value: str) -> None:
    from accompagnement.activities.models import Activity

    before = db.session.scalar(select(func.count(Activity.id)))
    response = cast.client.post("/activities/plan", data={"year": value})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Activity.id))) == before


def test_forms_use_the_bounded_number_fields_only() -> None:
    """A plain WTForms IntegerField/DecimalField/FloatField would bring the overflow back."""
    import importlib
    import pkgutil

    from wtforms import DecimalField, FloatField, IntegerField
    from wtforms.fields.core import UnboundField

    import accompagnement
    from accompagnement.formfields import BoundedIntegerField

    plain = []
    for module_info in pkgutil.walk_packages(accompagnement.__path__, "accompagnement."):
        module = importlib.import_module(module_info.name)
        for _name, form in inspect.getmembers(module, inspect.isclass):
            for attr, value in vars(form).items():
                if not isinstance(value, UnboundField):
                    continue
                kind = value.field_class
                if issubclass(kind, (IntegerField, DecimalField, FloatField)) and not issubclass(
                    kind, BoundedIntegerField
                ):
                    plain.append(f"{form.__module__}.{form.__name__}.{attr}")
    assert plain == []
