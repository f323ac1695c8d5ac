"""Release the answers of every pulse survey round whose last day has passed; run daily from cron."""

from django.core.management.base import BaseCommand

from services.surveys.services import survey_rounds_close_due


class Command(BaseCommand):
    help = "Close the pulse survey rounds whose last day has passed: their answers are shuffled and released in one batch."

    def handle(self, *args, **options):
        closed = survey_rounds_close_due()
        self.stdout.write(f"{closed} round(s) closed.")
