{
    "name": "Agent Training and Certification",
    "summary": "Train and certify agent staff; no agent opens without certified staff",
    "version": "18.0.1.0.0",
    "category": "Services/Public Administration",
    "website": "https://github.com/hanoi-psa/public-service-agents",
    "author": "Hanoi PSA Team",
    "license": "LGPL-3",
    "depends": ["public_service_agent", "survey"],
    "data": [
        "security/training_security.xml",
        "security/ir.model.access.csv",
        "views/training_course_views.xml",
        "views/training_menus.xml",
    ],
    "demo": ["demo/res_users_demo.xml"],
    "application": True,
    "installable": True,
}
