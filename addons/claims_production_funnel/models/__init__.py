from . import helpdesk_ticket
from . import production_line
