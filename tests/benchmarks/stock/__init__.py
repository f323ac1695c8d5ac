"""The benchmarks' peer: stock Wagtail pages (a FormPage, a plain Page) beside the portal, never part of the product.

Installed only by this package's settings module (tests.benchmarks.stock.settings), which is the portal's settings
plus this app and wagtail.contrib.forms.
"""
