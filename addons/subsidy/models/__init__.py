from . import subsidy_policy
