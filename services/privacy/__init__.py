"""Privacy: how long the portal keeps what it records (retention), and what it holds about a person (DSGVO Art. 15)."""
