"""Demo network life: activities over two and a half years and observatory reports.

The volumes follow the orders of magnitude of the Limousin action sheet (17 meeting days, 19
awareness actions, 21 animations, visits by local authorities, partners' conferences...).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from accompagnement.activities.services import ActivityInput, create_activity, plan_year, today
from accompagnement.auth.models import User
from accompagnement.members.models import Member
from accompagnement.observatory.services import save_report

# type, how many over the period, how many ressourceries take part, titles
ACTIVITY_PLAN = (
    (
        "journee_rencontre",
        17,
        3,
        (
            "Journée de rencontre des ressourceries",
            "Échanges de pratiques : la collecte en déchèterie",
            "Mutualisation des outils de communication",
        ),
    ),
    (
        "sensibilisation",
        19,
        1,
        ("Faîte de la récup : atelier réparation", "Faîte de la récup : stand zéro déchet"),
    ),
    (
        "animation",
        21,
        1,
        ("Atelier de réparation de vélos", "Repair café", "Atelier couture et réemploi textile"),
    ),
    ("reunion_coordination", 5, 4, ("Réunion de coordination",)),
    ("journee_technique", 5, 4, ("Journée technique : suivi de l'activité",)),
    ("comite_pilotage", 2, 2, ("Comité de pilotage annuel",)),
    ("colloque", 6, 1, ("Rencontres régionales de l'économie circulaire", "Assises des déchets")),
    ("formation", 3, 2, ("Formation « Créer une ressourcerie »",)),
)
VISITS_BY_AUTHORITIES = (
    ("Communauté de communes Creuse Grand Sud", "23"),
    ("Haute-Corrèze Communauté", "19"),
    ("Limoges Métropole", "87"),
    ("SYDED 87", "87"),
    ("Tulle Agglo", "19"),
    ("Evolis 23", "23"),
)
PARTNERS = ("ADEME Nouvelle-Aquitaine", "Région Nouvelle-Aquitaine", "SYDED 87", "DREAL")
DAYS = 900  # about two and a half years


def load_activities(members: list[Member], coordinator: User) -> int:
    """Record the network's past activities and plan next year's meetings; return the count."""
    rng = random.Random(2012)  # the same demo every time  # noqa: S311
    end = today() - dt.timedelta(days=1)
    count = 0
    for kind, number, involved, titles in ACTIVITY_PLAN:
        ids = [m.id for m in members]
        runners = rng.sample(ids, k=min(6 if kind == "sensibilisation" else 5, len(ids)))
        for index in range(number):
            day = end - dt.timedelta(days=rng.randrange(DAYS))
            chosen = rng.sample(runners if involved == 1 else ids, k=min(involved, len(ids)))
            title = f"{titles[index % len(titles)]} n°{index + 1}"
            partner = rng.choice(PARTNERS) if kind in ("colloque", "comite_pilotage") else None
            values = ActivityInput(
                date=day,
                type=kind,
                title=title,
                member_ids=chosen,
                partner=partner,
                participants=rng.randrange(8, 60),
            )
            create_activity(values, user_id=coordinator.id)
            count += 1
    for index, (authority, _dep) in enumerate(VISITS_BY_AUTHORITIES):
        day = end - dt.timedelta(days=rng.randrange(DAYS))
        values = ActivityInput(
            date=day,
            type="visite",
            title=f"Visite de {authority}",
            member_ids=[members[index % len(members)].id],
            visitor="collectivite",
            partner=authority,
            participants=rng.randrange(3, 12),
        )
        create_activity(values, user_id=coordinator.id)
        count += 1
    plan_year(today().year + 1, user_id=coordinator.id)
    return count


def load_observatory(members: list[Member], coordinator: User) -> int:
    """Fill in the last two years' observatory reports of every member; return the count."""
    rng = random.Random(87)  # noqa: S311
    count = 0
    for year in (today().year - 2, today().year - 1):
        for member in members:
            if member.joined_on and member.joined_on.year > year:
                continue
            save_report(member.id, year, _figures(rng), user_id=coordinator.id, base_revision=None)
            count += 1
    return count


def _split(total: Decimal, shares: tuple[int, ...]) -> list[Decimal]:
    """Split tonnes by percentage shares, to the tenth, the last part taking the rounding."""
    parts = [(total * share / 100).quantize(Decimal("0.1")) for share in shares[:-1]]
    return [*parts, total - sum(parts, Decimal(0))]


def _figures(rng: random.Random) -> dict[str, str]:
    collected = Decimal(rng.randrange(800, 4200)) / 10
    modes = _split(collected, (45, 30, 15, 7, 3))
    flows = _split(collected, (35, 12, 18, 8, 15, 4, 3, 5))
    out = _split((collected * Decimal("0.95")).quantize(Decimal("0.1")), (47, 5, 37, 11))
    headcount = rng.randrange(4, 16)
    sales = int(collected * rng.randrange(60, 110))
    values = dict(
        zip(
            (
                "collected_dropoff",
                "collected_dechetterie",
                "collected_home",
                "collected_bulky",
                "collected_business",
            ),
            modes,
            strict=True,
        )
    )
    values.update(
        zip(
            (
                "flow_furniture",
                "flow_electrical",
                "flow_textile",
                "flow_books",
                "flow_tableware",
                "flow_toys",
                "flow_bikes",
                "flow_other",
            ),
            flows,
            strict=True,
        )
    )
    values.update(
        zip(("out_sale", "out_donation", "out_recycling", "out_disposal"), out, strict=True)
    )
    figures = {key: str(value) for key, value in values.items()}
    figures.update(
        {
            "turnover": str(sales * rng.randrange(6, 12)),
            "sales_count": str(sales),
            "headcount": str(headcount),
            "fte": str(Decimal(headcount * rng.randrange(60, 95)) / 100),
            "women_percent": str(rng.randrange(35, 70)),
            "contracts_permanent": str(headcount // 3),
            "contracts_fixed_term": str(headcount // 4),
            "contracts_subsidised": str(headcount // 5),
            "contracts_integration": str(
                headcount - headcount // 3 - headcount // 4 - headcount // 5
            ),
            "volunteers": str(rng.randrange(5, 40)),
            "volunteer_hours": str(rng.randrange(200, 2500)),
            "awareness_actions": str(rng.randrange(3, 25)),
            "people_reached": str(rng.randrange(100, 1500)),
        }
    )
    return figures
