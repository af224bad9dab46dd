{
    "name": "Postal Delivery of Dossiers and Results",
    "summary": "Carriers, delivery orders, handover records, webhooks and labels "
    "(Decision 45/2016, Circular 17/2017)",
    "version": "18.0.1.0.0",
    "category": "Services/Public Administration",
    "website": "https://github.com/hanoi-psa/public-service-agents",
    "author": "Hanoi PSA Team",
    "license": "LGPL-3",
    "depends": ["public_service_agent", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/postal_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/postal_leg_limit_data.xml",
        "views/postal_carrier_views.xml",
        "views/postal_delivery_views.xml",
        "views/postal_menus.xml",
    ],
    "demo": ["demo/postal_carrier_demo.xml"],
    "application": True,
    "installable": True,
}
