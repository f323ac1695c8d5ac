"""Stock Wagtail pages as the Wagtail documentation writes them, as the peers of the portal's pages.

StockFormPage is the documentation's FormPage (wagtail.contrib.forms, an AbstractEmailForm with its
FormField); the benchmark gives it the same fields as the portal's form it is measured against. StockPage is
the smallest page there is: a title and a rich-text body. Both render in the portal's own base layout, so
that the comparison is about the serving, not about the header and footer.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.fields import RichTextField
from wagtail.models import Page


class StockFormField(AbstractFormField):
    page = ParentalKey("StockFormPage", on_delete=models.CASCADE, related_name="form_fields")


class StockFormPage(AbstractEmailForm):
    """A form built by an editor, stored as a FormSubmission (JSON); no mail when to_address is empty."""

    intro = RichTextField(blank=True)
    thank_you_text = RichTextField(blank=True)

    template = "stock/stock_form_page.html"
    landing_page_template = "stock/stock_form_page_landing.html"


class StockPage(Page):
    """A title and a body, nothing else."""

    body = RichTextField(blank=True)

    template = "stock/stock_page.html"
