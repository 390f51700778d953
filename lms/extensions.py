"""The Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
# No default limits: only the views that need one (sign-in, sign-up, mails) declare theirs.
limiter = Limiter(key_func=get_remote_address)
login_manager = LoginManager()
