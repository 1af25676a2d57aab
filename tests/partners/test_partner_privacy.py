"""Partners never see holders' personal data, nor members' contact details (sentinel test)."""

from __future__ import annotations

import uuid

from accompagnement.extensions import db
from accompagnement.members.models import Member
from accompagnement.projects.models import Comment, Document, FormSubmission

SENTINEL = "ZQXSENTINEL"


def plant_personal_data(make_user, history) -> Member:
    """Create holders, projects and a member whose personal fields all hold the sentinel."""
    holder = make_user("holder", name=f"{SENTINEL} Name", email=f"{SENTINEL.lower()}@example.org")
    holder.phone = f"{SENTINEL}-phone"
    project = history("Ressourcerie du Plateau", [("visites", 20)], holders=[holder])
    history("Recyclerie de Creuse", [], commune="23096", holders=[holder])
    db.session.add_all(
        [
            FormSubmission(
                project_id=project.id,
                stage="premier_contact",
                revision=1,
                status="submitted",
                data={"project_name": "x", "motivations": f"{SENTINEL}-form"},
                author_id=holder.id,
            ),
            Comment(project_id=project.id, author_id=holder.id, body=f"{SENTINEL}-comment"),
            Document(
                project_id=project.id,
                original_name=f"{SENTINEL}-document.pdf",
                storage_name=uuid.uuid4().hex,
                content_type="application/pdf",
                size=10,
                uploaded_by_id=holder.id,
            ),
        ]
    )
    member = Member(
        name="Ressourcerie Membre",
        commune_insee="87085",
        departement_code="87",
        contact_name=f"{SENTINEL} Contact",
        contact_email=f"contact-{SENTINEL.lower()}@example.org",
        contact_phone="05 55 00 00 00",
    )
    db.session.add(member)
    db.session.commit()
    return member


def partner_pages(member: Member) -> list[str]:
    return [
        "/partners/",
        "/partners/?workflow=creation-ressourcerie",
        "/partners/?workflow=adhesion-reseau",
        "/partners/?departement=23",
        "/partners/?departement=87",
        "/members/",
        "/members/?status=all",
        f"/members/{member.id}",
    ]


def test_no_personal_data_on_any_partner_page(make_user, history, client, auth):
    member = plant_personal_data(make_user, history)
    auth.login(make_user("partner"))

    for url in partner_pages(member):
        response = client.get(url)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert SENTINEL.lower() not in page.lower(), url
        assert "05 55 00 00 00" not in page, url
    assert "Ressourcerie du Plateau" in client.get("/partners/").get_data(as_text=True)


def test_the_sentinel_is_really_shown_to_the_coordinator(
    make_user, history, coordinator, client, auth
):
    """Prove the test above can fail: the coordinator does see the planted contact."""
    member = plant_personal_data(make_user, history)
    auth.login(coordinator)

    page = client.get(f"/members/{member.id}").get_data(as_text=True)

    assert SENTINEL in page
