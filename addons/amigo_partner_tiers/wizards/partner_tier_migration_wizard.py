from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL


class PartnerTierMigrationWizard(models.TransientModel):
    _name = "partner.tier.migration.wizard"
    _description = "Tier Migration per Manager"

    date_from = fields.Date(
        "From", required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=3),
    )  # fmt: skip
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    line_ids = fields.One2many("partner.tier.migration.line", "wizard_id", "Lines")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(_("The tier migration starts after it ends."))

    def _migration_query(self):
        """Per partner: the tier of its last assessment on or before each date; the manager
        is the one of the later assessment."""
        self.ensure_one()
        return SQL(
            """
            WITH at_from AS (
                SELECT DISTINCT ON (a.partner_id) a.partner_id, a.tier_id
                  FROM partner_tier_assessment a
                 WHERE a.company_id = %(company)s AND a.date <= %(date_from)s
                 ORDER BY a.partner_id, a.date DESC, a.id DESC
            ), at_to AS (
                SELECT DISTINCT ON (a.partner_id) a.partner_id, a.tier_id, a.user_id
                  FROM partner_tier_assessment a
                 WHERE a.company_id = %(company)s AND a.date <= %(date_to)s
                 ORDER BY a.partner_id, a.date DESC, a.id DESC
            )
            SELECT t.user_id,
                   COUNT(*) FILTER (WHERE tt.sequence < tf.sequence) AS up,
                   COUNT(*) FILTER (WHERE tt.sequence > tf.sequence) AS down,
                   COUNT(*) FILTER (WHERE tt.sequence = tf.sequence) AS same,
                   COUNT(*) FILTER (WHERE f.tier_id IS NULL) AS new,
                   COUNT(*) FILTER (WHERE tt.code = 'green') AS green,
                   COUNT(*) FILTER (WHERE tt.code = 'yellow') AS yellow,
                   COUNT(*) FILTER (WHERE tt.code = 'red') AS red,
                   COUNT(*) FILTER (WHERE tt.code = 'black') AS black
              FROM at_to t
              JOIN partner_tier tt ON tt.id = t.tier_id
              LEFT JOIN at_from f ON f.partner_id = t.partner_id
              LEFT JOIN partner_tier tf ON tf.id = f.tier_id
             GROUP BY t.user_id
            """,
            company=self.company_id.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def action_compute(self):
        self.ensure_one()
        self.env["partner.tier.assessment"].check_access("read")
        # the query reads the history in SQL, past the record rules: the company comes
        # from the companies the user works in, never from the form alone
        if self.company_id not in self.env.companies:
            raise AccessError(
                _(
                    "You cannot read the tier migration of %(company)s: it is not among the "
                    "companies you work in.",
                    company=self.company_id.sudo().name,
                )
            )
        self.line_ids.unlink()
        self.env.flush_all()
        self.env.cr.execute(self._migration_query())
        self.env["partner.tier.migration.line"].create(
            [dict(row, wizard_id=self.id) for row in self.env.cr.dictfetchall()]
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Tier migration %(start)s → %(end)s", start=self.date_from, end=self.date_to),
            "res_model": "partner.tier.migration.line",
            "view_mode": "list,pivot,graph",
            "domain": [("wizard_id", "=", self.id)],
            "target": "current",
        }
