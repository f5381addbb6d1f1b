{
    "name": "Claims",
    "summary": "Claims (reclamation) funnel on helpdesk tickets: order and product link, "
    "cause taxonomy, stage SLA, mandatory conclusion, analytics and portal filing",
    "version": "18.0.1.0.0",
    "category": "After-Sales",
    "license": "AGPL-3",
    "author": "Amigo suite",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["helpdesk_mgmt", "sale", "funnel_sla"],
    "data": [
        "security/claims_security.xml",
        "security/ir.model.access.csv",
        "data/claims_data.xml",
        "views/claim_cause_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "report/claim_analysis_views.xml",
        "views/claim_dashboard_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/claims_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "claims/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
