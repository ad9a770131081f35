"""Flask extensions, created unbound here and initialised by the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate(render_as_batch=True, compare_type=True)
talisman = Talisman()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
