from . import postal_carrier
