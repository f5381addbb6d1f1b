{
    "name": "Production Funnel",
    "summary": "Manufacturing orders as a funnel per production line, line load (daily, "
    "peak, under/over), stalls and a load forecast from the sales pipeline",
    "version": "18.0.1.3.0",
    "category": "Manufacturing/Manufacturing",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["mrp", "sale_mrp", "crm", "funnel_sla"],
    "data": [
        "security/production_funnel_security.xml",
        "security/ir.model.access.csv",
        "data/production_funnel_stage_data.xml",
        "views/production_funnel_stage_views.xml",
        "views/production_line_views.xml",
        "views/production_line_load_views.xml",
        "views/mrp_production_views.xml",
        "views/mrp_workcenter_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/production_funnel_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "production_funnel/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
