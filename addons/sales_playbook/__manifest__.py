{
    "name": "Sales Playbook",
    "summary": "The seeds' sales process on CRM: lead source and first handler, leads dealt "
    "in turn, stage checklists with hints, stage SLA on deals, farewell and quality "
    "surveys, source effectiveness",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["crm", "survey", "funnel_sla", "crm_lead_turn"],
    "data": [
        "security/sales_playbook_security.xml",
        "security/ir.model.access.csv",
        "data/crm_stage_data.xml",
        "data/mail_template_data.xml",
        "views/crm_lead_views.xml",
        "views/crm_stage_views.xml",
        "views/crm_team_views.xml",
        "views/crm_lead_lost_views.xml",
        "views/survey_user_input_views.xml",
        "views/res_config_settings_views.xml",
        "report/crm_playbook_report_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/sales_playbook_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "sales_playbook/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
