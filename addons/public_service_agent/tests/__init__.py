from . import test_psa_agent
from . import test_psa_access
from . import test_psa_tour
from . import test_psa_admin_unit
from . import test_psa_dossier
from . import test_psa_dossier_sequence
from . import test_psa_dossier_access
