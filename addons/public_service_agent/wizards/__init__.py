from . import psa_agent_state_wizard
from . import psa_dossier_apology_wizard
from . import psa_dossier_supplement_wizard
from . import psa_dossier_refuse_wizard
