from . import test_postal_carrier
from . import test_postal_delivery
from . import test_postal_dossier
from . import test_postal_webhook
from . import test_postal_webhook_property
from . import test_postal_carrier_api
from . import test_postal_handover
from . import test_postal_portal
