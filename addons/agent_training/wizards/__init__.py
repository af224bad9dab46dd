from . import training_certificate_revoke
