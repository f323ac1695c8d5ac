"""Decision documents (Bescheide): the PDF a final decision issues, stored once, and their verification at /verify/."""
