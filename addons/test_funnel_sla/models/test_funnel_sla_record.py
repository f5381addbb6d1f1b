from odoo import api, fields, models


class TestFunnelSlaRecord(models.Model):
    """A concrete funnel record, to test the funnel.sla.mixin on."""

    _name = "test.funnel.sla.record"
    _inherit = ["funnel.sla.mixin"]
    _description = "Funnel SLA Test Record"
    _order = "id"

    name = fields.Char(required=True)
    stage_id = fields.Many2one(
        "test.funnel.sla.stage",
        string="Stage",
        tracking=True,
        group_expand="_read_group_stage_ids",
        default=lambda self: self.env["test.funnel.sla.stage"].search([], limit=1),
    )
    user_id = fields.Many2one("res.users", string="Responsible", tracking=True)
    manager_id = fields.Many2one("res.users", string="Team Leader")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    confidential = fields.Boolean(help="Nobody is subscribed to a confidential record.")

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([])

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # a follower policy of the model's own through core's extension point, as
        # project.task or hr.leave have one: nobody is subscribed to a confidential record
        others = self - self.filtered("confidential")
        return super(TestFunnelSlaRecord, others).message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _sla_escalation_users(self):
        return {record.id: record.manager_id for record in self if record.manager_id}
