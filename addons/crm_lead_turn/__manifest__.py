{
    "name": "CRM Lead Turns",
    "summary": "Deal a team's new leads to its members in turn: weighted, capped per day, "
    "fair across restarts and concurrent creations, without locks",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["crm"],
    "data": [
        "views/crm_team_views.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
