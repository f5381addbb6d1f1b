from dateutil.relativedelta import relativedelta

from odoo import Command, api, models


class SalesPlan(models.Model):
    _inherit = "sales.plan"

    @api.model
    def _demo_month_of_activity(self, plan_xmlid, scheme_xmlid, shares):
        """Demo data only: a month of work of the plan's team as the CRM records it (done
        calls and meetings, opportunities moved through the stages, won deals and confirmed
        orders for new customers), then the plan decomposed and the scores computed.

        ``shares`` is how much of the monthly plan each manager did (1.0 = the plan)."""
        env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        plan = env.ref(plan_xmlid)
        scheme = env.ref(scheme_xmlid)
        stages = plan._stages()
        first, qualified, proposal = stages[0], stages[1], stages[-2]
        product = env["product.product"].create(
            {"name": "Roller blind, demo", "type": "consu", "list_price": 40_000.0}
        )
        call = env.ref("mail.mail_activity_data_call")
        meeting = env.ref("mail.mail_activity_data_meeting")
        lead_model = env["ir.model"]._get_id("crm.lead")
        # the managers' current month, in their time zone as their scores count it
        today = env["motivation.score"]._kpi_user_today(plan.team_id.member_ids[:1])
        month_start = today.replace(day=1)
        month_end = month_start + relativedelta(months=1, days=-1)
        if (plan.date_from, plan.date_to) != (month_start, month_end):
            plan.write({"date_from": month_start, "date_to": month_end})
        days = (today - month_start).days + 1
        plan_of = {action.action_type: action for action in scheme.action_ids}
        plan_of.update(
            {
                action.activity_type_id.id: action
                for action in scheme.action_ids.filtered("activity_type_id")
            }
        )

        def flush_tracking():
            env.flush_all()
            env.cr.precommit.run()

        lead_ids = []
        for index, (user, share) in enumerate(zip(plan.team_id.member_ids, shares, strict=False)):
            wanted = {
                "call": round(plan_of[call.id].plan_count * share),
                "meeting": round(plan_of[meeting.id].plan_count * share),
                "proposal": round(plan_of["stage"].plan_count * share),
                "won": round(plan_of["won"].plan_count * share),
            }
            partners = env["res.partner"].create(
                [
                    {"name": f"Demo customer {index + 1}.{n + 1}", "is_company": True}
                    for n in range(wanted["proposal"] * 2)
                ]
            )
            leads = env["crm.lead"].create(
                [
                    {
                        "name": f"Blinds for {partner.name}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "user_id": user.id,
                        "team_id": plan.team_id.id,
                        "stage_id": first.id,
                        "expected_revenue": 40_000,
                    }
                    for partner in partners
                ]
            )
            lead_ids += leads.ids
            flush_tracking()
            leads[: wanted["proposal"] + 2].write({"stage_id": qualified.id})
            flush_tracking()
            leads[: wanted["proposal"]].write({"stage_id": proposal.id})
            flush_tracking()
            won = leads[: wanted["won"]]
            won.with_user(user).action_set_won()
            leads[wanted["proposal"] + 2 : wanted["proposal"] + 4].action_set_lost()
            flush_tracking()
            activities = (
                env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(
                    [
                        {
                            "res_model_id": lead_model,
                            "res_id": leads[n % len(leads)].id,
                            "activity_type_id": kind.id,
                            "user_id": user.id,
                            "summary": kind.name,
                        }
                        for kind, count in ((call, wanted["call"]), (meeting, wanted["meeting"]))
                        for n in range(count)
                    ]
                )
            )
            activities.with_user(user).action_feedback(feedback="Done (demo)")
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": lead.partner_id.id,
                        "user_id": user.id,
                        "team_id": plan.team_id.id,
                        "opportunity_id": lead.id,
                        "order_line": [Command.create({"product_id": product.id})],
                    }
                    for lead in won
                ]
            )
            orders.action_confirm()
        flush_tracking()
        # spread the month's messages over its days so far
        env.cr.execute(
            """
            UPDATE mail_message
               SET date = %s::timestamp + ((id %% %s) * interval '1 day') + interval '10 hours'
             WHERE model = 'crm.lead' AND res_id = ANY(%s)
            """,
            [month_start, days, lead_ids],
        )
        env.invalidate_all()
        plan.action_decompose()
        scores = env["motivation.score"]._ensure_scores(month_start, month_end, scheme)
        scores._compute_scores()
        # the month before is closed, as the head of sales leaves a paid month: frozen
        previous = env["motivation.score"]._ensure_scores(
            month_start - relativedelta(months=1), month_start - relativedelta(days=1), scheme
        )
        previous.action_close()
