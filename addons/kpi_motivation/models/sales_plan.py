import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


def ceil_count(value):
    """Round a required count up ("округляем в +"), ignoring float noise (129 / 0.6 is
    215.00000000000003 in binary floating point and must stay 215)."""
    return math.ceil(round(value, 6))


class SalesPlan(models.Model):
    _name = "sales.plan"
    _description = "Sales Plan"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        tracking=True,
        index=True,
        check_company=True,
        help="Plan of one manager. Leave empty and set a team for a team plan.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", tracking=True, index=True, check_company=True
    )
    date_from = fields.Date(
        string="From",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        + relativedelta(months=1, days=-1),
    )
    revenue_target = fields.Monetary(tracking=True)
    average_deal_source = fields.Selection(
        [("manual", "Entered"), ("history", "Won deals of the last months")],
        string="Average Deal From",
        required=True,
        default="manual",
    )
    history_months = fields.Integer(
        string="History (months)",
        default=3,
        help="How many months before the plan start are read for the average deal and the "
        "stage conversions.",
    )
    average_deal = fields.Monetary(tracking=True)
    history_average_deal = fields.Monetary(string="Average Won Deal (history)", readonly=True)
    history_won_count = fields.Integer(string="Won Deals (history)", readonly=True)
    history_lead_count = fields.Integer(string="Leads (history)", readonly=True)
    sales_count = fields.Integer(
        string="Sales Needed", readonly=True, help="Revenue target ÷ average deal, rounded up."
    )
    step_ids = fields.One2many("sales.plan.step", "plan_id", string="Funnel Steps", copy=True)
    manager_ids = fields.Many2many(
        "res.users", string="Managers", compute="_compute_manager_ids", store=False
    )
    manager_count = fields.Integer(compute="_compute_manager_ids")
    revenue_per_manager = fields.Monetary(compute="_compute_manager_ids")
    sales_per_manager = fields.Integer(compute="_compute_manager_ids")
    state = fields.Selection(
        [("draft", "Draft"), ("decomposed", "Decomposed")],
        default="draft",
        required=True,
        tracking=True,
    )
    is_reachable = fields.Boolean(string="Reachable", default=True, readonly=True)
    unreachable_reason = fields.Char(readonly=True)
    day_count = fields.Integer(string="Days", compute="_compute_day_count")
    note = fields.Html()

    @api.depends("user_id", "team_id", "team_id.member_ids", "revenue_target", "sales_count")
    def _compute_manager_ids(self):
        for plan in self:
            managers = plan.user_id or plan.team_id.member_ids
            plan.manager_ids = managers
            plan.manager_count = len(managers)
            count = len(managers) or 1
            plan.revenue_per_manager = plan.revenue_target / count
            plan.sales_per_manager = ceil_count(plan.sales_count / count)

    @api.depends("date_from", "date_to")
    def _compute_day_count(self):
        for plan in self:
            if plan.date_from and plan.date_to and plan.date_to >= plan.date_from:
                plan.day_count = (plan.date_to - plan.date_from).days + 1
            else:
                plan.day_count = 0

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._(
                        "Sales plan “%(plan)s”: the end date (To) is before the start date (From).",
                        plan=plan.name,
                    )
                )

    @api.constrains("user_id", "team_id")
    def _check_scope(self):
        for plan in self:
            if not plan.user_id and not plan.team_id:
                raise ValidationError(
                    self.env._(
                        "Sales plan “%(plan)s”: set a Salesperson or a Sales Team.", plan=plan.name
                    )
                )

    @api.constrains("revenue_target", "average_deal", "history_months")
    def _check_amounts(self):
        for plan in self:
            if plan.revenue_target < 0 or plan.average_deal < 0:
                raise ValidationError(
                    self.env._(
                        "Sales plan “%(plan)s”: the Revenue Target and the Average Deal cannot "
                        "be negative.",
                        plan=plan.name,
                    )
                )
            if plan.history_months < 1:
                raise ValidationError(
                    self.env._(
                        "Sales plan “%(plan)s”: History (months) must be at least 1.",
                        plan=plan.name,
                    )
                )

    # --------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        # constraints run only for the fields given: a plan created with neither a
        # salesperson nor a team (e.g. over RPC) must still be refused
        plans._check_scope()
        return plans

    # ------------------------------------------------------------------ actions

    def action_decompose(self):
        """Sales needed = target ÷ average deal, then backwards through the funnel each
        earlier step = next step ÷ conversion from this step to the next, rounded up."""
        for plan in self:
            plan._decompose()
        return True

    def action_reset_conversions(self):
        """Forget the entered conversions: the next decomposition takes the history."""
        self.step_ids.write({"conversion_source": "history"})
        return self.action_decompose()

    # ------------------------------------------------------------------ helpers

    def _stages(self):
        """The funnel of the plan: the team's own stages when it has a funnel of its own,
        else the shared stages, in order; every won stage is one final step."""
        self.ensure_one()
        team = self.team_id or self.user_id.sale_team_id
        Stage = self.env["crm.stage"]
        stages = (
            Stage.search([("team_id", "in", team.ids)], order="sequence, id") if team else Stage
        )
        if not stages:
            stages = Stage.search([("team_id", "=", False)], order="sequence, id")
        won = stages.filtered("is_won")[:1]
        if not won:
            raise UserError(
                self.env._(
                    "Sales plan “%(plan)s”: the CRM funnel has no won stage to plan the sales on.",
                    plan=self.name,
                )
            )
        return stages.filtered(lambda s: not s.is_won) + won

    def _history_window(self):
        """[start, end) of the N months before the plan, as naive UTC datetimes; the days
        are those of the plan's manager (a team plan's: its company's), as the KPI reports
        and the scores count them."""
        self.ensure_one()
        Score = self.env["motivation.score"]
        if self.user_id:
            tz = Score._kpi_user_tz(self.user_id)
        else:
            tz = self.company_id.partner_id.tz or "UTC"
        return Score._period_bounds(
            self.date_from - relativedelta(months=self.history_months),
            self.date_from - relativedelta(days=1),
            tz,
        )

    def _history_lead_domain(self):
        self.ensure_one()
        if self.user_id:
            return [("user_id", "=", self.user_id.id)]
        return [("team_id", "=", self.team_id.id)]

    def _history(self, stages):
        """Read the history of the plan's scope in the last N months: average won deal and
        how many leads reached each stage (or a later one), from the stage tracking."""
        self.ensure_one()
        start, end = self._history_window()
        Lead = self.env["crm.lead"].with_context(active_test=False)
        scope = self._history_lead_domain()
        won_domain = [
            *scope,
            ("stage_id.is_won", "=", True),
            ("date_closed", ">=", start),
            ("date_closed", "<", end),
        ]
        [(won_count, won_sum)] = Lead._read_group(
            won_domain, aggregates=["__count", "expected_revenue:sum"]
        )
        leads = Lead.search([*scope, ("create_date", ">=", start), ("create_date", "<", end)])
        position = {stage.id: index for index, stage in enumerate(stages)}
        won_position = len(stages) - 1
        reached = [0] * len(stages)
        if leads:
            stage_field = self.env["ir.model.fields"]._get("crm.lead", "stage_id")
            # every stage a lead has been in: the current one, and each side of every move
            self.env.cr.execute(
                SQL(
                    """
                    SELECT l.id, l.stage_id, s.is_won
                      FROM crm_lead l LEFT JOIN crm_stage s ON s.id = l.stage_id
                     WHERE l.id = ANY(%(leads)s)
                     UNION
                    SELECT m.res_id, v.stage_id, s.is_won
                      FROM mail_message m
                      JOIN mail_tracking_value t ON t.mail_message_id = m.id
                      CROSS JOIN LATERAL (VALUES (t.old_value_integer), (t.new_value_integer))
                           AS v(stage_id)
                      JOIN crm_stage s ON s.id = v.stage_id
                     WHERE m.model = 'crm.lead' AND m.res_id = ANY(%(leads)s)
                       AND t.field_id = %(field)s
                    """,
                    leads=leads.ids,
                    field=stage_field.id,
                )
            )
            furthest = defaultdict(lambda: -1)
            for lead_id, stage_id, is_won in self.env.cr.fetchall():
                pos = won_position if is_won else position.get(stage_id, -1)
                furthest[lead_id] = max(furthest[lead_id], pos, 0)
            for lead_id in leads.ids:
                for index in range(furthest[lead_id] + 1):
                    reached[index] += 1
        return {
            "won_count": won_count,
            "average_deal": won_sum / won_count if won_count else 0.0,
            "lead_count": len(leads),
            "reached": reached,
        }

    def _decompose(self):
        self.ensure_one()
        stages = self._stages()
        history = self._history(stages)
        values = {
            "history_average_deal": history["average_deal"],
            "history_won_count": history["won_count"],
            "history_lead_count": history["lead_count"],
        }
        average = self.average_deal
        if self.average_deal_source == "history":
            if not history["won_count"]:
                raise UserError(
                    self.env._(
                        "Sales plan “%(plan)s”: no won deals in the %(months)s months before "
                        "%(date)s to compute the Average Deal from; enter it instead.",
                        plan=self.name,
                        months=self.history_months,
                        date=self.date_from,
                    )
                )
            average = values["average_deal"] = history["average_deal"]
        if average <= 0:
            raise UserError(
                self.env._(
                    "Sales plan “%(plan)s”: enter the Average Deal (it must be greater than 0).",
                    plan=self.name,
                )
            )
        if self.revenue_target <= 0:
            raise UserError(
                self.env._(
                    "Sales plan “%(plan)s”: enter the Revenue Target (it must be greater than 0).",
                    plan=self.name,
                )
            )
        sales = ceil_count(self.revenue_target / average)
        values["sales_count"] = sales

        # steps: one per stage; entered conversions are kept, the others come from history
        existing = {step.stage_id.id: step for step in self.step_ids}
        commands = [
            Command.unlink(step.id)
            for stage_id, step in existing.items()
            if stage_id not in stages.ids
        ]
        reached = history["reached"]
        conversions = []
        for index, stage in enumerate(stages):
            is_last = index == len(stages) - 1
            history_conversion = 0.0
            if not is_last and reached[index]:
                history_conversion = reached[index + 1] / reached[index]
            step = existing.get(stage.id)
            step_values = {
                "sequence": index,
                "reached_count": reached[index],
                "history_conversion": history_conversion if not is_last else 1.0,
            }
            if is_last:
                conversion = 1.0
                step_values.update(conversion=1.0, conversion_source="history")
            elif step and step.conversion_source == "manual":
                conversion = step.conversion
            else:
                conversion = history_conversion
                step_values.update(conversion=conversion, conversion_source="history")
            conversions.append(conversion)
            if step:
                commands.append(Command.update(step.id, step_values))
            else:
                commands.append(Command.create({"stage_id": stage.id, **step_values}))
        values["step_ids"] = commands
        self.write(values)

        # backwards from the sales: previous step = this step ÷ conversion, rounded up
        steps = self.step_ids.sorted("sequence")
        required = [0] * len(steps)
        required[-1] = sales
        blocked = False
        reason = False
        for index in range(len(steps) - 2, -1, -1):
            conversion = conversions[index]
            if blocked:
                continue
            if conversion <= 0:
                blocked = True
                reason = self.env._(
                    "Unreachable: the conversion from “%(from)s” to “%(to)s” is 0%%, so no number "
                    "of leads at “%(from)s” gives the %(sales)s sales needed. Enter the "
                    "conversion you expect or raise it first.",
                    **{"from": steps[index].stage_id.name},
                    to=steps[index + 1].stage_id.name,
                    sales=sales,
                )
                continue
            required[index] = ceil_count(required[index + 1] / conversion)
        managers = self.manager_count or 1
        for step, count in zip(steps, required, strict=True):
            step.write(
                {"required_count": count, "required_per_manager": ceil_count(count / managers)}
            )
        self.write(
            {"state": "decomposed", "is_reachable": not blocked, "unreachable_reason": reason}
        )
        if blocked:
            self.message_post(body=reason)

    def _prorated_target(self, date_from, date_to):
        """The part of the revenue target falling in [date_from, date_to], pro-rated by days
        (a plan for 1 January–15 February gives January 31/46 of its target)."""
        self.ensure_one()
        start = max(self.date_from, date_from)
        end = min(self.date_to, date_to)
        if end < start or not self.day_count:
            return 0.0
        return self.revenue_target * ((end - start).days + 1) / self.day_count
