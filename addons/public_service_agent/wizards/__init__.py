from . import psa_agent_state_wizard
