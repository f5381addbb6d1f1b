from . import crm_playbook_report
from . import crm_playbook_survey_report
