from markupsafe import Markup, escape

from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _sla_notify_escalations(self):
        """One notification per assigned user for these escalation activities, listing
        their records (an escalation run can reach one team leader many times)."""
        for user in self.user_id:
            mine = self.filtered(lambda activity, u=user: activity.user_id == u)
            # in the language of the one told, not of the cron's user
            env = self.with_context(lang=user.lang or self.env.lang).env
            items = Markup("").join(
                Markup('<li><a href="/mail/view?model=%s&amp;res_id=%s">%s</a>: %s</li>')
                % (activity.res_model, activity.res_id, activity.res_name, activity.summary)
                for activity in mine
            )
            subject = env._(
                "Escalation: %(count)s record(s) stalled past the limit", count=len(mine)
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                escape(
                    env._(
                        "These records stay stalled past the escalation limit; an activity "
                        "is waiting for you on each:"
                    )
                ),
                items,
            )
            # record-less notification to one person: sudo as the cron and the activities
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=subject,
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
