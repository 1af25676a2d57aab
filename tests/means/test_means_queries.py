"""The means page and the report's means read a constant number of statements."""

from __future__ import annotations

import datetime as dt

from accompagnement.extensions import db
from accompagnement.means import services
from accompagnement.means.queries import period_means
from accompagnement.means.validation import check_line
from tests.fixtures.queries import get_page


def add_lines(years: range, structures: int, funders: list[str]) -> None:
    for year in years:
        for n in range(structures):
            services.save_line(check_line(str(year), "staff_time", f"S{n}", "0,1")[0], user_id=None)
            line = check_line(str(year), "other_costs", f"Ligne {n}", "100")[0]
            services.save_line(line, user_id=None)
        for funder in funders:
            services.save_line(check_line(str(year), "funding", funder, "10")[0], user_id=None)
    db.session.commit()


def test_the_page_of_a_year_does_not_grow_with_its_lines(client, auth, coordinator, make_network):
    make_network(organisations=["ADEME", "Région", "CD23"])
    auth.login(coordinator)
    add_lines(range(2013, 2014), 2, ["ADEME"])
    _, small = get_page(client, "/means/?year=2013")
    add_lines(range(2013, 2014), 12, ["ADEME", "Région", "CD23"])
    _, large = get_page(client, "/means/?year=2013")
    assert large == small


def test_the_reports_means_take_three_statements_whatever_the_years(make_network, count_queries):
    make_network(organisations=["ADEME", "Région"])
    add_lines(range(2010, 2020), 5, ["ADEME", "Région"])
    for end in (dt.date(2010, 12, 31), dt.date(2019, 12, 31)):
        with count_queries() as counted:
            means = period_means(dt.date(2010, 1, 1), end)
        selects = [s for s in counted.statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 3, counted.statements
    assert means["staff"]["average_fte"] == 0.5
    assert means["budget"]["total"]["other"] == 5000
