{
    "name": "Postage Subsidies",
    "summary": "Hanoi's postage subsidies: policies, eligibility, claims, budgets, "
    "statements, invoices and XLSX reconciliation",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/hanoi-psa/public-service-agents",
    "author": "Hanoi PSA Team",
    "license": "LGPL-3",
    "depends": ["postal_delivery", "account", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/subsidy_security.xml",
        "security/ir.model.access.csv",
        "views/subsidy_policy_views.xml",
        "views/subsidy_menus.xml",
    ],
    "demo": ["demo/subsidy_policy_demo.xml", "demo/res_users_demo.xml"],
    "application": True,
    "installable": True,
}
