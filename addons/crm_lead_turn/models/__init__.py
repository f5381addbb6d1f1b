from . import turn_wheel
from . import crm_team
from . import crm_team_member
