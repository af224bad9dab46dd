from . import psa_center_dashboard_xlsx
