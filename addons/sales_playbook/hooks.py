def post_init_hook(env):
    """The leads already there get their handler history: their salesperson, since they
    were assigned (or created), given by whoever created them. Their first handler is
    computed by the install itself (the field is stored). In batches, through the ORM."""
    Lead = env["crm.lead"].with_context(active_test=False)
    Handler = env["crm.lead.handler"]
    leads = Lead.search([("user_id", "!=", False)], order="id")
    for start in range(0, len(leads), 1000):
        batch = leads[start : start + 1000]
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
