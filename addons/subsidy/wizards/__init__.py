from . import subsidy_claim_decision
