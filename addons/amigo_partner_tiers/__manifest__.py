{
    "name": "Amigo Partner Tiers",
    "summary": "Green/yellow/red/black dealer tiers from unit economics, partner development "
    "funnels, regional lead routing and a dealer portal for leads",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["sale_management", "sale_margin", "crm", "portal"],
    "data": [
        "security/amigo_partner_tiers_security.xml",
        "security/ir.model.access.csv",
        "data/partner_tier_data.xml",
        "data/partner_development_data.xml",
        "views/partner_tier_views.xml",
        "views/partner_tier_policy_views.xml",
        "views/partner_tier_assessment_views.xml",
        "views/assortment_matrix_views.xml",
        "views/partner_development_views.xml",
        "views/res_partner_views.xml",
        "views/crm_team_views.xml",
        "views/product_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "amigo_partner_tiers/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
