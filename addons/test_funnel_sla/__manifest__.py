{
    "name": "Funnel SLA Tests",
    "summary": "Test models and tests for the funnel_sla mixin (not for production)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["funnel_sla"],
    "data": [
        "security/ir.model.access.csv",
        "views/test_funnel_sla_stage_views.xml",
        "views/test_funnel_sla_record_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "test_funnel_sla/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
