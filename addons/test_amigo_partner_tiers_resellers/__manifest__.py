{
    "name": "Amigo Partner Tiers next to Resellers (tests)",
    "summary": "Core's Resellers installed next to amigo_partner_tiers: both portals work "
    "(not for production)",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Amigo suite",
    "maintainers": ["amigo-suite"],
    "development_status": "Beta",
    "website": "https://github.com/amigo-suite/amigo",
    "depends": ["amigo_partner_tiers", "website_crm_partner_assign"],
    "installable": True,
    "application": False,
}
