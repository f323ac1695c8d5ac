"""The core pages of the request domain: requests.py (the applicant's), decisions.py (the approver's), audit.py."""
