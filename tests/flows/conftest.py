"""Flow tests run real Prefect flows against a temporary local Prefect server (Prefect's own test harness):
`prefect_server` and `prefect_api` live in tests/conftest.py, where tests outside this room find them too."""
