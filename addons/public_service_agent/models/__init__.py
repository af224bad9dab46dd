from . import psa_admin_unit
from . import res_partner
from . import psa_pilot_phase
from . import psa_agent
from . import res_users
