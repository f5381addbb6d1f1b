{
    "name": "Funnel SLA",
    "summary": "Time in stage, SLA deadline in working hours, stall detection and "
    "one escalation activity for any funnel",
    "version": "18.0.1.0.0",
    "category": "Productivity",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["mail", "resource"],
    "data": [
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
    ],
    "installable": True,
    "application": False,
}
