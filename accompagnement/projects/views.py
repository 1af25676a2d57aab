"""Pages of the projects feature."""

from flask import Blueprint

bp = Blueprint("projects", __name__, url_prefix="/projects")
