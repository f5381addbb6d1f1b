"""Bootstrap, serve and test the Amigo suite (stdlib only: it runs before the venv exists)."""
