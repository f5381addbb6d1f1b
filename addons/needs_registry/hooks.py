from odoo.tools import SQL

# what the addon creates outside the tables of its own models (those go with the models)
CORE_TABLE_INDEXES = (
    "needs_registry_sale_order_line_product_idx",
    "product_template_external_code_shared_uniq",
    "product_template_external_code_company_uniq",
    "res_partner_normalized_vat_company_uniq",
)


def uninstall_hook(env):
    """Drop the indexes the addon created on core tables, and the detection lock table
    of its versions before 18.0.1.1.0 if a database still holds it; remove the notices
    of possible duplicates (on quotations too), whose activity type goes with the addon."""
    notice_type = env.ref("needs_registry.mail_activity_type_need_duplicate", False)
    if notice_type:
        env["mail.activity"].with_context(active_test=False).search(
            [("activity_type_id", "=", notice_type.id)]
        ).unlink()
    for index in CORE_TABLE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
    env.cr.execute(SQL("DROP TABLE IF EXISTS customer_need_detection_lock"))
