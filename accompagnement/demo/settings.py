"""The demo network's settings: the Limousin network, set up through the network services."""

from __future__ import annotations

from accompagnement.network.models import Network, Organisation
from accompagnement.network.services import (
    OrganisationInput,
    Settings,
    save_organisation,
    set_plan,
    setup_network,
)

LIMOUSIN = Settings(
    name="Dynamique régionale des ressourceries du Limousin",
    short_name="limousin",
    departements=("19", "23", "87"),
    report_title="Rapport d'activité au comité de pilotage",
    report_footer="Réseau soutenu par l'ADEME Nouvelle-Aquitaine et la Région Nouvelle-Aquitaine.",
)
ORGANISATIONS = (
    OrganisationInput("ADEME Nouvelle-Aquitaine", kind="ademe"),
    OrganisationInput("Région Nouvelle-Aquitaine", kind="region"),
    OrganisationInput("DREAL Nouvelle-Aquitaine", kind="state"),
    OrganisationInput("Conseil départemental de la Creuse (CD23)", kind="departement",
                      departement="23"),
    OrganisationInput("SYDED 87", kind="syndicate", departement="87"),
    OrganisationInput("Limousin Actif", kind="finance"),
)  # fmt: skip
PLAN = {"reunion_coordination": 2, "journee_technique": 2}


def load_network() -> tuple[Network, dict[str, Organisation]]:
    """Set up the Limousin network, its partner organisations and its 2 + 2 yearly plan."""
    network = setup_network(LIMOUSIN)
    organisations = {o.name: save_organisation(o) for o in ORGANISATIONS}
    set_plan(PLAN)
    return network, organisations
