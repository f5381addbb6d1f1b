def post_init_hook(env):
    """The leads already there get their first handler and their handler history: their
    salesperson (an employee; a portal user is no handler), since they were assigned (or
    created), given by whoever created them. In batches, through the ORM."""
    Lead = env["crm.lead"].with_context(active_test=False)
    Handler = env["crm.lead.handler"]
    leads = Lead.search([("user_id", "!=", False), ("user_id.share", "=", False)], order="id")
    for start in range(0, len(leads), 1000):
        batch = leads[start : start + 1000]
        for user, user_leads in (
            batch.filtered(lambda lead: not lead.first_user_id).grouped("user_id").items()
        ):
            user_leads.write({"first_user_id": user.id})
        Handler.create(
            [
                {
                    "lead_id": lead.id,
                    "user_id": lead.user_id.id,
                    "assigned_by_id": lead.create_uid.id,
                    "date": lead.date_open or lead.create_date,
                    "assignment": "created",
                }
                for lead in batch
            ]
        )
        batch.invalidate_recordset()
