"""The wording of the steering committee report, in French (default) and English.

The report is a document for funders, written in a language chosen for it (`--lang`, or the
reader's interface language) rather than in the interface's catalogue: the French wording
follows the ADEME action sheet the network reports against ("Résultats quantitatifs").
"""

from __future__ import annotations

ACTIVITY_TYPES = (
    "journee_rencontre",
    "reunion_coordination",
    "journee_technique",
    "comite_pilotage",
    "sensibilisation",
    "animation",
    "visite",
    "colloque",
    "formation",
)
VISITORS = ("collectivite", "porteur_projet", "autre")
LANGUAGES = ("fr", "en")

ACTIVITY_LABELS = {
    "journee_rencontre": (
        "Journées de rencontre entre ressourceries",
        "Meeting days between ressourceries",
    ),
    "reunion_coordination": ("Réunions de coordination", "Coordination meetings"),
    "journee_technique": ("Journées techniques", "Technical days"),
    "comite_pilotage": ("Comités de pilotage", "Steering committees"),
    "sensibilisation": ("Actions de sensibilisation", "Awareness actions"),
    "animation": ("Animations", "Animations"),
    "visite": ("Visites de ressourceries", "Visits of ressourceries"),
    "colloque": (
        "Participations à des colloques ou réunions de partenaires",
        "Conferences or partners' meetings attended",
    ),
    "formation": ("Formations", "Training sessions"),
}

VISITOR_LABELS = {
    "collectivite": ("Par des collectivités territoriales", "By local authorities"),
    "porteur_projet": ("Par des porteurs de projet", "By project holders"),
    "autre": ("Par d'autres visiteurs", "By other visitors"),
}

OBSERVATORY_LABELS = {
    "reports": ("Rapports annuels reçus", "Yearly reports received"),
    "collected_t": ("Tonnes collectées", "Tonnes collected"),
    "collected_dropoff": ("dont apport volontaire (t)", "of which drop-off (t)"),
    "collected_dechetterie": (
        "dont caisson en déchèterie (t)",
        "of which déchèterie container (t)",
    ),
    "collected_home": ("dont collecte à domicile (t)", "of which home pick-up (t)"),
    "collected_bulky": ("dont tournées d'encombrants (t)", "of which bulky-waste rounds (t)"),
    "collected_business": ("dont entreprises (t)", "of which businesses (t)"),
    "flow_furniture": ("Mobilier (t)", "Furniture (t)"),
    "flow_electrical": ("Électroménager et appareils électriques (t)", "Electrical goods (t)"),
    "flow_textile": ("Textile (t)", "Textile (t)"),
    "flow_books": ("Livres (t)", "Books (t)"),
    "flow_tableware": ("Vaisselle et objets (t)", "Tableware and objects (t)"),
    "flow_toys": ("Jouets (t)", "Toys (t)"),
    "flow_bikes": ("Vélos (t)", "Bikes (t)"),
    "flow_other": ("Autres flux (t)", "Other flows (t)"),
    "out_sale": ("Réemploi par la vente (t)", "Reuse by sale (t)"),
    "out_donation": ("Réemploi par le don (t)", "Reuse by donation (t)"),
    "out_recycling": ("Recyclage (t)", "Recycling (t)"),
    "out_disposal": ("Élimination (t)", "Disposal (t)"),
    "reuse_rate_percent": ("Taux de réemploi (%)", "Reuse rate (%)"),
    "recovery_rate_percent": ("Taux de valorisation (%)", "Recovery rate (%)"),
    "turnover": ("Chiffre d'affaires des ventes (€)", "Sales turnover (€)"),
    "sales_count": ("Nombre de ventes", "Number of sales"),
    "average_basket_eur": ("Panier moyen (€)", "Average basket (€)"),
    "headcount": ("Salarié·es", "Employees"),
    "fte": ("Équivalents temps plein (ETP)", "Full-time equivalents (FTE)"),
    "women_percent": ("Part de femmes (%)", "Women (%)"),
    "contracts_permanent": ("Contrats à durée indéterminée", "Permanent contracts"),
    "contracts_fixed_term": ("Contrats à durée déterminée", "Fixed-term contracts"),
    "contracts_subsidised": ("Contrats aidés", "Subsidised contracts"),
    "contracts_integration": ("Contrats d'insertion", "Work-integration contracts"),
    "volunteers": ("Bénévoles", "Volunteers"),
    "volunteer_hours": ("Heures de bénévolat", "Volunteer hours"),
    "awareness_actions": (
        "Actions de sensibilisation (observatoire)",
        "Awareness actions (observatory)",
    ),
    "people_reached": ("Personnes sensibilisées", "People reached"),
}

TEXTS = {
    "title": ("Rapport d'activité au comité de pilotage", "Report to the steering committee"),
    "network": ("Dynamique régionale des ressourceries", "Regional network of ressourceries"),
    "period": ("Période du %(start)s au %(end)s", "Period from %(start)s to %(end)s"),
    "activities": ("Activités du réseau", "Network activities"),
    "activity_type": ("Type d'activité", "Type of activity"),
    "count": ("Nombre", "Number"),
    "ressourceries": ("Ressourceries concernées", "Ressourceries involved"),
    "activities_note": (
        "Activités réalisées pendant la période (les activités prévues ne sont pas comptées).",
        "Activities carried out during the period (planned ones are not counted).",
    ),
    "visits": ("Visites de ressourceries", "Visits of ressourceries"),
    "visitors": ("Visiteurs", "Visitors"),
    "total_visits": ("Total des visites", "All visits"),
    "members": ("Adhésions", "Membership"),
    "new_members": (
        "Ressourceries ayant rejoint le réseau",
        "Ressourceries that joined the network",
    ),
    "projects": ("Projets accompagnés", "Projects supported"),
    "stage_at": ("Étape au %(date)s", "Stage on %(date)s"),
    "projects_count": ("Projets", "Projects"),
    "movements": ("Pendant la période", "During the period"),
    "transitions": ("Changements d'étape", "Stage changes"),
    "opened": ("Ressourceries ouvertes", "Ressourceries opened"),
    "observatory": ("Observatoire régional (%(years)s)", "Regional observatory (%(years)s)"),
    "indicator": ("Indicateur", "Indicator"),
    "value": ("Valeur", "Value"),
    "observatory_note": (
        "Totaux des rapports annuels des membres pour les années couvertes par la période.",
        "Totals of the members' yearly reports for the years the period covers.",
    ),
    "partners": ("Partenaires", "Partners"),
    "organisation": ("Organisation", "Organisation"),
    "no_partner": ("Aucun partenaire enregistré.", "No partner recorded."),
    "section": ("Rubrique", "Section"),
    "item": ("Libellé", "Item"),
    "generated": (
        "Établi le %(date)s à partir des données saisies.",
        "Produced on %(date)s from the recorded data.",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def text(key: str, lang: str, **params: object) -> str:
    """Return a piece of the report's wording in a language, with %(name)s filled in."""
    phrase = _pick(TEXTS[key], lang)
    return phrase % params if params else phrase


def activity_label(key: str, lang: str) -> str:
    """Return the report's name of an activity type."""
    return _pick(ACTIVITY_LABELS.get(key, (key, key)), lang)


def visitor_label(key: str, lang: str) -> str:
    """Return the report's name of a kind of visitor."""
    return _pick(VISITOR_LABELS.get(key, (key, key)), lang)


def observatory_label(key: str, lang: str) -> str:
    """Return the report's name of an observatory figure."""
    return _pick(OBSERVATORY_LABELS.get(key, (key, key)), lang)
