from . import test_subsidy_policy
