from . import partner_tier_migration_wizard
from . import partner_tier_migration_line
