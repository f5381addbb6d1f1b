{
    "name": "KPI and Motivation",
    "summary": "Sales plans decomposed through stage conversions, points per action with "
    "salary levels and commission, funnel KPIs and the daily manager report",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["crm", "sale_management"],
    "data": [
        "security/kpi_motivation_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/sales_plan_views.xml",
        "views/motivation_scheme_views.xml",
        "views/motivation_score_views.xml",
        "views/kpi_report_views.xml",
        "views/kpi_daily_report_views.xml",
        "views/kpi_stage_report_views.xml",
        "report/motivation_score_reports.xml",
        "report/motivation_score_templates.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/kpi_motivation_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "kpi_motivation/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": True,
}
