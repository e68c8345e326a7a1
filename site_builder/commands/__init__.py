"""The commands a user runs (``cli``): serve, check, deploy and new, each on top of build and
ingest. The only layer that turns errors into exit codes."""
