"""Documents of a project: upload (checked type and content) and download (as an attachment)."""

from __future__ import annotations

import io

from flask import flash, send_file
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import roles
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.projects import documents, forms, queries, services
from accompagnement.projects.views.blueprint import (
    EDITORS,
    Page,
    bp,
    put_errors,
    redirect_to_detail,
)
from accompagnement.projects.views.project import render_detail
from accompagnement.transaction import commits, refusal


@bp.route("/<int:project_id>/documents", methods=["POST"])
@roles(*EDITORS)
@commits
def upload(project_id: int) -> Page:
    """Add a document to a project (coordinators and the project's holders)."""
    form = forms.UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        with refusal(InvalidInput) as refused:
            services.add_document(
                project_id,
                upload.filename or "",
                upload.stream,
                user_id=current_user.id,
                stage=form.stage.data or None,
            )
            flash(_("The document was added."), "success")
            return redirect_to_detail(project_id, "documents")
        put_errors(form, refused.error.errors)
    project = queries.get_visible_project(current_user, project_id, *queries.WITH_PEOPLE)
    return render_detail(project, status=400, upload_form=form)


@bp.route("/<int:project_id>/documents/<int:document_id>")
@roles(*EDITORS)
def download(project_id: int, document_id: int) -> Response:
    """Send a document as an attachment, to coordinators and the project's holders only."""
    document = queries.get_visible_document(current_user, project_id, document_id)
    try:
        content = documents.read(document.storage_name)
    except (ValueError, OSError):
        raise NotFound("No such document") from None
    response = send_file(
        io.BytesIO(content),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response
