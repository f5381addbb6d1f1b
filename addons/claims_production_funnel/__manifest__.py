{
    "name": "Claims per Production Line",
    "summary": "Links each claim to the production line that made the product and adds "
    "claims per line to the claims analysis and the production line form",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["claims", "production_funnel"],
    "data": [
        "security/ir.model.access.csv",
        "views/helpdesk_ticket_views.xml",
        "views/production_line_views.xml",
        "report/claim_analysis_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/claims_production_funnel_demo.xml"],
    "installable": True,
    "auto_install": True,
    "application": False,
}
