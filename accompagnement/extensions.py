"""Flask extensions, created unbound and attached to the app in create_app()."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from accompagnement.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()

# Models subclass `Model`: Flask-SQLAlchemy's db.Model at run time, typed as our declarative
# Base for the type checker (which cannot see the class Flask-SQLAlchemy builds).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
