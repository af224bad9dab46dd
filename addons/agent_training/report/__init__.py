from . import training_certificate_report
from . import training_readiness_report
from . import training_readiness_xlsx
