from .models.crm_team import TURN_SEQUENCE_CODE


def post_init_hook(env):
    """Give every team already there its turn counter (teams created later get theirs
    at creation)."""
    env["crm.team"].with_context(active_test=False).search([])._turn_ensure_sequences()


def uninstall_hook(env):
    """Remove the teams' turn counters: their ir.sequence records and, with them
    (ir.sequence.unlink), the PostgreSQL sequences they count with."""
    # "_" is a wildcard of LIKE: escaped, only the counters of this module match
    pattern = TURN_SEQUENCE_CODE.replace("_", "\\_") + "%"
    env["ir.sequence"].with_context(active_test=False).search([("code", "=like", pattern)]).unlink()
