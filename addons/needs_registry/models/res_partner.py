import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .tools import create_unique_index, unique_violation_as

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


# one company (a partner that is a company, not a contact of one) per VAT (INN)
VAT_INDEX = "res_partner_normalized_vat_company_uniq"
VAT_INDEX_COLUMNS = SQL("normalized_vat")
VAT_INDEX_WHERE = SQL("normalized_vat IS NOT NULL AND is_company AND parent_id IS NULL")
VAT_FIELDS = {"vat", "is_company", "company_type", "parent_id"}


def _is_company(vals, default=False):
    """Whether values make a company: ``is_company``, or the form's ``company_type``."""
    if "is_company" in vals:
        return vals["is_company"]
    if "company_type" in vals:
        return vals["company_type"] == "company"
    return default


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
    # the VAT (INN) without spaces, dashes, dots and case: what the unique index compares
    normalized_vat = fields.Char(
        string="Normalized VAT", compute="_compute_normalized_vat", store=True
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

    @api.depends("vat")
    def _compute_normalized_vat(self):
        for partner in self:
            partner.normalized_vat = normalize_vat(partner.vat)

    def init(self):
        # the Python check names the clash; two saves at the same moment both pass it,
        # so the database refuses the second
        create_unique_index(
            self.env.cr, VAT_INDEX, "res_partner", VAT_INDEX_COLUMNS, VAT_INDEX_WHERE
        )

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

    def _check_vat_unique(self, saved):
        """Refuse a company whose VAT (INN) another company already has, before the
        database sees it (its unique index then only meets a save made at the same
        moment). ``saved`` lists (partner id or False, VAT, is a company, parent id,
        name) of the partners being saved; contacts of a company share its VAT."""
        companies = [
            (pid, vat, normalize_vat(vat), name)
            for pid, vat, is_company, parent_id, name in saved
            if vat and normalize_vat(vat) and is_company and not parent_id
        ]
        if not companies:
            return
        others = self.with_context(active_test=False).search(
            [
                ("normalized_vat", "in", list({norm for _pid, _vat, norm, _name in companies})),
                ("is_company", "=", True),
                ("parent_id", "=", False),
                ("id", "not in", [pid for pid, _vat, _norm, _name in companies if pid]),
            ]
        )
        holders = {}  # normalized VAT: (name, id) of the company holding it
        for other in others:
            holders.setdefault(other.normalized_vat, (other.display_name, other.id))
        for pid, vat, norm, name in companies:
            if norm not in holders:
                holders[norm] = (name, pid)  # the next one of this save clashes with it
                continue
            existing, existing_id = holders[norm]
            raise ValidationError(
                self.env._(
                    "The field 'Tax ID' (INN) %(vat)s of %(partner)s is already used by the "
                    "partner %(existing)s (id %(id)s): open it or merge instead of creating a "
                    "duplicate.",
                    vat=vat,
                    partner=name or "-",
                    existing=existing,
                    id=existing_id or "-",
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not any(vals.get("vat") for vals in vals_list):
            return super().create(vals_list)
        self._check_vat_unique(
            [
                (
                    False,
                    vals.get("vat"),
                    _is_company(vals),
                    vals.get("parent_id", False),
                    vals.get("name"),
                )
                for vals in vals_list
            ]
        )
        saved = [(vals["vat"], vals.get("name")) for vals in vals_list if vals.get("vat")]
        with unique_violation_as(self.env, {VAT_INDEX}, lambda: self._vat_clash(saved)):
            return super().create(vals_list)

    def write(self, vals):
        if not VAT_FIELDS & set(vals):
            return super().write(vals)
        self._check_vat_unique(
            [
                (
                    partner.id,
                    vals.get("vat", partner.vat),
                    _is_company(vals, partner.is_company),
                    vals.get("parent_id", partner.parent_id.id),
                    partner.name,
                )
                for partner in self
            ]
        )
        saved = [(vals.get("vat") or partner.vat, partner.name) for partner in self]
        saved = [(vat, name) for vat, name in saved if vat]
        with unique_violation_as(self.env, {VAT_INDEX}, lambda: self._vat_clash(saved)):
            return super().write(vals)

    def _vat_clash(self, saved):
        """The error for a violation of the VAT index, ``saved`` the (VAT, name) of the
        partners saved: the company already holding the VAT when this transaction sees
        it, else a save at the same moment."""
        normalized = [normalize_vat(vat) for vat, _name in saved]
        other = (
            self.with_context(active_test=False)
            .sudo()
            .search(
                [
                    ("normalized_vat", "in", normalized),
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                    ("id", "not in", self.ids),
                ],
                limit=1,
            )
        )
        if other:
            vat, name = next(
                (vat, name) for vat, name in saved if normalize_vat(vat) == other.normalized_vat
            )
            return ValidationError(
                self.env._(
                    "The field 'Tax ID' (INN) %(vat)s of %(partner)s is already used by the "
                    "partner %(existing)s (id %(id)s): open it or merge instead of creating a "
                    "duplicate.",
                    vat=vat,
                    partner=name or "-",
                    existing=other.display_name,
                    id=other.id,
                )
            )
        return ValidationError(
            self.env._(
                "The field 'Tax ID' (INN) %(vat)s was saved for another company at the same "
                "moment: search the partners for it and merge instead of creating a duplicate.",
                vat=", ".join(vat for vat, _name in saved),
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
