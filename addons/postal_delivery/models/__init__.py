from . import postal_carrier
from . import postal_leg_limit
from . import postal_delivery
from . import postal_delivery_event
from . import psa_dossier
from . import postal_carrier_status
from . import postal_webhook_event
from . import postal_handover
