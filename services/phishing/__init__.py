"""Reports of suspicious e-mails and fake websites, grouped by what they share, classified by IT security.

- parsing.py: reading an uploaded `.eml` as data (sender, subject, links; nothing is opened or rendered),
  checking addresses, normalising what reports are grouped by, defanging addresses for display.
- models.py: cases (a group of reports), reports, the indicators that group them, published warnings.
- permissions.py, selectors.py: who may see and classify what; the lists.
- services.py: reporting, classifying ("mark and notify"); tasks.py: telling every reporter the outcome.
- forms.py, views.py, urls.py: the /phishing/ pages. Publishing a warning (a guidance page and the
  site-wide alert, through the editorial workflow) belongs to the CMS: home/phishing_warnings.py.
"""
