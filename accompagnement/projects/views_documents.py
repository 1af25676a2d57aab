"""Documents of a project: upload (checked type and content) and download (as an attachment)."""

from __future__ import annotations

import io

from flask import flash, send_file
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from accompagnement.access import roles
from accompagnement.errors import InvalidInput, NotFound
from accompagnement.extensions import db
from accompagnement.projects import documents, forms, queries, services
from accompagnement.projects.views import (
    EDITORS,
    Page,
    bp,
    put_errors,
    redirect_to_detail,
    render_detail,
)


@bp.route("/<int:project_id>/documents", methods=["POST"])
@roles(*EDITORS)
def upload(project_id: int) -> Page:
    """Add a document to a project (coordinators and the project's holders)."""
    project = queries.get_project_for_page(current_user, project_id)
    form = forms.UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.add_document(
                project.id,
                upload.filename or "",
                upload.stream,
                user_id=current_user.id,
                stage=form.stage.data or None,
            )
        except InvalidInput as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(_("The document was added."), "success")
            return redirect_to_detail(project.id, "documents")
    return render_detail(project, status=400, upload_form=form)


@bp.route("/<int:project_id>/documents/<int:document_id>")
@roles(*EDITORS)
def download(project_id: int, document_id: int) -> Response:
    """Send a document as an attachment, to coordinators and the project's holders only."""
    document = queries.get_visible_document(current_user, project_id, document_id)
    try:
        content = documents.path_of(document.storage_name).read_bytes()
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
