from . import subsidy_statement_xlsx
