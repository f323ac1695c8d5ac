from django.apps import AppConfig


class StockConfig(AppConfig):
    name = "tests.benchmarks.stock"
    label = "stock"
    verbose_name = "Stock Wagtail pages (benchmark peer)"
    default_auto_field = "django.db.models.BigAutoField"
