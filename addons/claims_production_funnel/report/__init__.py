from . import claim_analysis
