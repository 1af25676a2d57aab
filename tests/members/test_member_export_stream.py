"""The member directory's CSV export is streamed, with the same bytes as before it streamed.

The rows are read in batches while the download goes on; the header, the columns, the BOM, the
semicolons and the quote before a formula are those of the export the import reads back.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from accompagnement.audit.models import AuditEvent
from accompagnement.csvsafe import csv_chunks, write_csv
from accompagnement.extensions import db

# The file the export wrote before it streamed, for these two members (checked against it).
EXPECTED = (
    "\ufeffname;kind;commune;insee;departement;joined;functions;website;contact_name;"
    "contact_email;contact_phone;status;left\r\n"
    "'=Formule;ressourcerie;Guéret;23096;23;2019-03-01;\"collecte;valorisation;vente;"
    "sensibilisation\";https://example.org;'@Lina;lina@example.org;'+33 5 55 00 00 00;member;\r\n"
    'Recyclerie du Bourg;recyclerie;Limoges;87085;87;2015-03-01;"collecte;valorisation;'
    'sensibilisation";;;;;former;2024-06-30\r\n'
)


def test_the_export_streams_the_same_file(make_member, coordinator, client, auth) -> None:
    make_member(
        "=Formule", commune_insee="23096", departement_code="23", joined_on=dt.date(2019, 3, 1),
        website="https://example.org", contact_name="@Lina", contact_email="lina@example.org",
        contact_phone="+33 5 55 00 00 00",
    )  # fmt: skip
    make_member(
        "Recyclerie du Bourg", kind="recyclerie", does_vente=False, status="former",
        left_on=dt.date(2024, 6, 30),
    )  # fmt: skip
    auth.login(coordinator)

    response = client.post("/members/export")

    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == EXPECTED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "members.exported"))
    assert event.one().detail == {"count": 2}


def test_a_long_export_comes_in_pieces_that_add_up_to_the_whole_file() -> None:
    rows = [(f"=Ligne {n}", n, dt.date(2024, 1, 1 + n % 28)) for n in range(1_234)]
    pieces = list(csv_chunks(iter(rows), ["name", "n", "day"], delimiter=";"))
    assert len(pieces) == 3  # 500 + 500 + 234 rows (the header rides with the first)
    assert "".join(pieces) == write_csv(rows, ["name", "n", "day"], delimiter=";")
    assert pieces[0].startswith("name;n;day\r\n'=Ligne 0;0;2024-01-01\r\n")
