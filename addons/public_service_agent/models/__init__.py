from . import res_partner
from . import psa_pilot_phase
from . import psa_agent
