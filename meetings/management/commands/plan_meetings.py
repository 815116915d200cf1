"""python manage.py plan_meetings YYYY-MM: plan a month's regular meetings."""

from django.core.management.base import BaseCommand, CommandError

from meetings import calendar
from meetings.services.planning import plan_month


class Command(BaseCommand):
    help = "Plan the regular meeting of every active cell for a month (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("month", help="The month to plan, as YYYY-MM (e.g. 2026-03).")

    def handle(self, *args, month, **options):
        try:
            period = calendar.parse_month(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        result = plan_month(period=period)
        self.stdout.write(
            f"{period:%m/%Y}: {result.created} meetings planned, {result.existing} already existed."
        )
