import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

LEGAL_FORMS = (
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "нао",
    "ип",
    "чуп",
    "гуп",
    "муп",
    "фгуп",
    "нко",
    "llc",
    "ltd",
    "inc",
    "corp",
    "gmbh",
    "jsc",
    "pjsc",
    "cjsc",
    "co",
    "plc",
    "sa",
    "srl",
)
_LEGAL_FORMS_RE = re.compile(r"\b(?:%s)\b" % "|".join(LEGAL_FORMS))
_PUNCT_RE = re.compile(r"[\"'«»„“”‘’`.,()\-–—&/\\]+")
_SPACE_RE = re.compile(r"\s+")


def normalize_partner_name(name):
    """Company name without legal form, quotes, punctuation and case."""
    if not name:
        return False
    value = _PUNCT_RE.sub(" ", name.lower().replace("ё", "е"))
    value = _LEGAL_FORMS_RE.sub(" ", value)
    value = _SPACE_RE.sub(" ", value).strip()
    return value or False


def normalize_phone(phone):
    digits = re.sub(r"\D", "", phone or "")
    # the last ten digits: +7 / 8 prefixes of Russian numbers compare equal
    return digits[-10:] if len(digits) >= 7 else False


def normalize_vat(vat):
    return re.sub(r"[\s\-.]", "", vat or "").upper() or False


class ResPartner(models.Model):
    _inherit = "res.partner"

    normalized_name = fields.Char(
        compute="_compute_normalized_keys",
        store=True,
        index="btree_not_null",
    )
    normalized_phone = fields.Char(
        compute="_compute_normalized_keys",
        store=True,
        index="btree_not_null",
    )
    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_duplicate_partner_ids",
        string="Likely Duplicates",
        help="Other partners with the same name (legal form, quotes and case ignored), "
        "e-mail or phone.",
    )

    @api.depends("name", "phone", "mobile")
    def _compute_normalized_keys(self):
        for partner in self:
            partner.normalized_name = normalize_partner_name(partner.name)
            partner.normalized_phone = normalize_phone(partner.phone or partner.mobile)

    @api.depends("normalized_name", "normalized_phone", "email", "commercial_partner_id")
    def _compute_duplicate_partner_ids(self):
        partners = self.filtered(lambda p: p.normalized_name or p.email or p.normalized_phone)
        (self - partners).duplicate_partner_ids = False
        if not partners:
            return
        names = {p.normalized_name for p in partners if p.normalized_name}
        emails = {p.email.strip().lower() for p in partners if p.email and p.email.strip()}
        phones = {p.normalized_phone for p in partners if p.normalized_phone}
        domain = []
        if names:
            domain = ["|", ("normalized_name", "in", list(names))] + (domain or [("id", "=", 0)])
        if emails:
            domain = ["|", ("email_normalized", "in", list(emails))] + (domain or [("id", "=", 0)])
        if phones:
            domain = ["|", ("normalized_phone", "in", list(phones))] + (domain or [("id", "=", 0)])
        candidates = self.search(domain, limit=200)
        for partner in partners:
            email = (partner.email or "").strip().lower()
            partner.duplicate_partner_ids = candidates.filtered(
                lambda c, p=partner, e=email: c != p._origin
                and c.commercial_partner_id != p.commercial_partner_id
                and (
                    (p.normalized_name and c.normalized_name == p.normalized_name)
                    or (e and (c.email_normalized or "") == e)
                    or (p.normalized_phone and c.normalized_phone == p.normalized_phone)
                )
            )

    @api.constrains("vat", "is_company", "parent_id")
    def _check_vat_unique(self):
        companies = self.filtered(lambda p: p.vat and p.is_company and not p.parent_id)
        if not companies:
            return
        forms = set()
        for partner in companies:
            forms |= {partner.vat.strip(), normalize_vat(partner.vat)}
        domain = ["|"] * (len(forms) - 1) + [("vat", "=ilike", form) for form in forms]
        others = self.with_context(active_test=False).search(
            [
                ("is_company", "=", True),
                ("parent_id", "=", False),
                ("id", "not in", companies.ids),
            ]
            + domain
        )
        for partner in companies:
            vat = normalize_vat(partner.vat)
            same = others.filtered(lambda o, v=vat: normalize_vat(o.vat) == v)
            if same:
                raise ValidationError(
                    self.env._(
                        "The field 'Tax ID' (INN) %(vat)s of %(partner)s is already used by the "
                        "partner %(existing)s (id %(id)s): open it or merge instead of creating a "
                        "duplicate.",
                        vat=partner.vat,
                        partner=partner.name,
                        existing=same[0].display_name,
                        id=same[0].id,
                    )
                )

    def action_merge_duplicates(self):
        self.ensure_one()
        ids = (self | self.duplicate_partner_ids).ids
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "res.partner", "active_ids": ids, "active_id": self.id},
        }
