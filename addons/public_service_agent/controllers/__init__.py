from . import main
from . import portal
from . import contact_centre
from . import portal_home
