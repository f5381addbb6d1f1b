{
    "name": "KPI and Motivation: Sale Margin",
    "summary": "The margin of the KPI report is sale_margin's margin (cost deducted) "
    "when both addons are installed",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["kpi_motivation", "sale_margin"],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "auto_install": True,
    "application": False,
}
