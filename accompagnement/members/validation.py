"""Check the values of a member, shared by the form, the CSV import and the project conversion.

Every check returns messages keyed by field name, already translated, so a form can show them
next to its fields and an import can list them with the line they come from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, select

from accompagnement.db import utcnow
from accompagnement.extensions import db
from accompagnement.members.models import FUNCTIONS, Member, MemberKind
from accompagnement.territory.models import Commune, Departement
from accompagnement.territory.services import resolve_communes

INSEE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


@dataclass(frozen=True)
class MemberInput:
    """The values of a member as typed by a person (strings, cleaned by `clean`)."""

    name: str
    kind: str = MemberKind.RESSOURCERIE.value
    commune: str = ""
    insee: str = ""
    departement: str = ""
    joined_on: date | None = None
    functions: frozenset[str] = frozenset(FUNCTIONS)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""


@dataclass
class CleanMember:
    """Checked values, ready to be written on a Member (a missing commune is created)."""

    name: str
    kind: str
    commune_insee: str
    departement_code: str
    joined_on: date | None
    functions: frozenset[str]
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    website: str | None
    new_commune: Commune | None = field(default=None)


@dataclass
class Territory:
    """The communes and départements an import refers to, loaded in two queries."""

    communes: dict[str, Commune]
    departements: set[str]

    @classmethod
    def load(cls, insee_codes: Iterable[str]) -> Territory:
        """Load the current communes of these INSEE codes (former codes included: a merged
        commune's code gives the commune it joined), and every département."""
        departements = set(db.session.scalars(select(Departement.code)))
        return cls(resolve_communes(insee_codes), departements)


def simplify(text: str) -> str:
    """Return a comparison key: no accents, no case, hyphens and apostrophes as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[-'’_]", " ", plain).split())


def parse_functions(raw: str) -> frozenset[str]:
    """Read functions separated by ; , | + or spaces; raise ValueError naming unknown ones."""
    words = [simplify(w) for w in re.split(r"[;,|+/\s]+", raw) if w.strip()]
    unknown = [w for w in words if w not in FUNCTIONS]
    if unknown:
        raise ValueError(", ".join(unknown))
    return frozenset(words)


def clean(values: MemberInput, territory: Territory) -> tuple[CleanMember | None, dict[str, str]]:
    """Check every value of a member; return the clean values, or None and the messages."""
    errors: dict[str, str] = {}
    name = " ".join((values.name or "").split())
    if not name or len(name) > 200:
        errors["name"] = _("A name of 1 to 200 characters is required.")
    kind = simplify(values.kind or MemberKind.RESSOURCERIE.value)
    if kind not in {k.value for k in MemberKind}:
        errors["kind"] = _("The kind must be ressourcerie or recyclerie.")
    if not values.functions:
        errors["functions"] = _("Choose at least one function.")
    elif not values.functions <= set(FUNCTIONS):
        errors["functions"] = _("Unknown function.")
    if values.joined_on and values.joined_on > utcnow().date():
        errors["joined_on"] = _("The date of joining cannot be in the future.")
    insee, departement, new_commune = _place(values, territory, errors)
    contact = _contact(values, errors)
    website = _website(values.website, errors)
    if errors:
        return None, errors
    return (
        CleanMember(
            name=name,
            kind=kind,
            commune_insee=insee,
            departement_code=departement,
            joined_on=values.joined_on,
            functions=values.functions,
            contact_name=contact[0],
            contact_email=contact[1],
            contact_phone=contact[2],
            website=website,
            new_commune=new_commune,
        ),
        {},
    )


def _place(
    values: MemberInput, territory: Territory, errors: dict[str, str]
) -> tuple[str, str, Commune | None]:
    """Check commune, INSEE code and département together; prepare a commune to create."""
    insee = values.insee.strip().upper()
    departement = values.departement.strip().upper()
    if departement.isdecimal() and len(departement) == 1:
        departement = "0" + departement
    commune_name = " ".join(values.commune.split())
    if not INSEE_PATTERN.match(insee):
        errors["insee"] = _("An INSEE code of 5 characters is required (e.g. 87085).")
        return insee, departement, None
    known = territory.communes.get(insee)
    if known is not None:
        renamed = known.insee != insee  # a former code: the old name is expected
        insee = known.insee
        if commune_name and not renamed and simplify(commune_name) != simplify(known.name):
            errors["commune"] = _(
                "The INSEE code %(insee)s is %(name)s.", insee=insee, name=known.name
            )
        if departement and departement != known.departement_code:
            errors["departement"] = _(
                "%(name)s is in département %(code)s.", name=known.name, code=known.departement_code
            )
        return insee, known.departement_code, None
    if not departement:
        errors["departement"] = _("The département is required for a new commune.")
    elif departement not in territory.departements:
        errors["departement"] = _("Unknown département %(code)s.", code=departement)
    elif not insee.startswith(departement):
        errors["insee"] = _(
            "The INSEE code %(insee)s is not in département %(code)s.",
            insee=insee,
            code=departement,
        )
    if not commune_name or len(commune_name) > 200:
        errors["commune"] = _("Unknown INSEE code: give the name of the commune.")
    if errors:
        return insee, departement, None
    return insee, departement, Commune(insee=insee, name=commune_name, departement_code=departement)


def _contact(values: MemberInput, errors: dict[str, str]) -> tuple[str | None, ...]:
    name = " ".join(values.contact_name.split()) or None
    if name and len(name) > 120:
        errors["contact_name"] = _("At most 120 characters.")
    email = values.contact_email.strip() or None
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["contact_email"] = _("Invalid e-mail address.")
        else:
            if len(email) > 254:
                errors["contact_email"] = _("Invalid e-mail address.")
    phone = " ".join(values.contact_phone.split()) or None
    if phone and not PHONE_PATTERN.match(phone):
        errors["contact_phone"] = _("Invalid phone number.")
    return name, email, phone


def _website(raw: str, errors: dict[str, str]) -> str | None:
    url = raw.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. "http://[x" : an unbalanced IPv6 bracket
        parts, host = urlsplit("invalid:"), ""
    if parts.scheme not in ("http", "https") or "." not in host or len(url) > 255 or " " in url:
        errors["website"] = _("A web address starting with https:// is expected.")
        return None
    return url


def name_taken(name: str, member_id: int | None = None) -> bool:
    """Tell whether another member already has this name (ignoring case)."""
    query = select(Member.id).where(func.lower(Member.name) == name.lower())
    if member_id is not None:
        query = query.where(Member.id != member_id)
    return db.session.scalars(query).first() is not None
