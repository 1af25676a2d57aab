"""From a CSV file of yearly reports to the steering committee report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from accompagnement.members.models import Member
from accompagnement.reports.services import build_report

FILE = (
    "member;year;collected_dropoff;collected_home;flow_furniture;flow_textile;out_sale;"
    "out_donation;out_recycling;out_disposal;turnover;sales_count;volunteers\n"
    "Ressourcerie de Bourganeuf;2023;80;20;60;40;50;10;20;20;12 500;2500;10\n"
    "Recyclerie d'Eymoutiers;2023;30,5;;20;10,5;10;5;5;10,5;3000;600;4\n"
)


def test_imported_reports_come_out_in_the_report(
    runner: FlaskCliRunner, make_member: Callable[..., Member], tmp_path: Path
) -> None:
    make_member("Ressourcerie de Bourganeuf")
    make_member("Recyclerie d'Eymoutiers")
    path = tmp_path / "observatoire-2023.csv"
    path.write_text(FILE, encoding="cp1252")
    assert runner.invoke(args=["import", "observatory", str(path)]).exit_code == 0
    assert runner.invoke(args=["import", "observatory", str(path)]).exit_code == 0  # twice

    obs = build_report(dt.date(2023, 1, 1), dt.date(2023, 12, 31))["observatory"]
    assert obs["reports"] == 2
    assert obs["collected_t"] == 130.5
    assert obs["totals"]["flow_textile"] == 50.5
    assert obs["totals"]["turnover"] == 15500.0 and obs["totals"]["sales_count"] == 3100
    assert obs["reuse_rate_percent"] == 57.5  # (60 + 15) / 130.5
    assert obs["recovery_rate_percent"] == 76.6  # (60 + 15 + 25) / 130.5
    assert obs["average_basket_eur"] == 5.0
    assert obs["by_year"]["2023"]["figures"]["volunteers"] == 14  # a stock: per year

    result = runner.invoke(args=["report", "--from", "2023-01-01", "--to", "2023-12-31",
                                 "--format", "csv"])  # fmt: skip
    assert "Observatoire régional (2023);Tonnes collectées;130,5" in result.output


def test_the_report_page_shows_imported_figures(
    client: FlaskClient,
    auth: object,
    coordinator: object,
    make_member: Callable[..., Member],
) -> None:
    import io

    make_member("Ressourcerie de Bourganeuf")
    make_member("Recyclerie d'Eymoutiers")
    auth.login(coordinator)  # type: ignore[attr-defined]
    upload = client.post("/observatory/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(FILE.encode()), "obs.csv")})  # fmt: skip
    assert upload.status_code == 302
    html = client.get("/reports/", query_string={"from": "2023-01-01", "to": "2023-12-31",
                                                 "lang": "fr"}).get_data(as_text=True)  # fmt: skip
    assert "Tonnes collectées" in html and "130,5" in html
