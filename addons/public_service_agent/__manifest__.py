{
    "name": "Public Service Agents",
    "summary": "Hanoi's online public-service agents: agents, wards, procedures, dossiers, "
    "agent portal and citizen tracking",
    "version": "18.0.1.0.0",
    "category": "Services/Public Administration",
    "website": "https://github.com/hanoi-psa/public-service-agents",
    "author": "Hanoi PSA Team",
    "license": "LGPL-3",
    "depends": ["mail", "portal", "resource", "phone_validation"],
    "external_dependencies": {"python": ["vietnam_provinces", "phonenumbers"]},
    "data": [
        "security/psa_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/psa_admin_unit_data.xml",
        "views/psa_admin_unit_views.xml",
        "views/psa_agent_views.xml",
        "views/psa_pilot_phase_views.xml",
        "views/res_partner_views.xml",
        "wizards/psa_agent_state_wizard_views.xml",
        "views/psa_menus.xml",
    ],
    "demo": [
        "demo/res_lang_demo.xml",
        "demo/psa_operator_demo.xml",
        "demo/psa_agent_demo.xml",
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "public_service_agent/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
