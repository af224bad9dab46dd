from . import test_postal_carrier
