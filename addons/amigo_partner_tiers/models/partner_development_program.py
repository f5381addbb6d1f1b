from odoo import fields, models


class PartnerDevelopmentProgram(models.Model):
    _name = "partner.development.program"
    _description = "Partner Development Programme"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the programme between companies."
    )
    description = fields.Text(translate=True)
    stage_ids = fields.Many2many("partner.development.stage", string="Stages", check_company=True)
    partner_ids = fields.One2many("res.partner", "development_program", "Partners")
    partner_count = fields.Integer(compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("development_program", "in", self.ids)], ["development_program"], ["__count"]
            )
        )
        for program in self:
            program.partner_count = counts.get(program, 0)

    def action_open_kanban(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amigo_partner_tiers.action_partner_development_kanban"
        )
        action["domain"] = [("development_program", "=", self.id)]
        action["context"] = {
            "default_development_program": self.id,
            "development_program_id": self.id,
        }
        action["display_name"] = self.name
        return action
