from . import test_subsidy_policy
from . import test_subsidy_claim
from . import test_subsidy_budget
from . import test_subsidy_billing
from . import test_subsidy_concurrency
from . import test_subsidy_access
from . import test_subsidy_reports
from . import test_subsidy_portal
