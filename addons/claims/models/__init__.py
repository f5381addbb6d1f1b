from . import claim_cause
from . import helpdesk_ticket_stage
from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import sale_order
from . import res_company
from . import res_config_settings
from . import claim_dashboard
