from django.core.management.base import BaseCommand

from chibo.demo import PASSWORD, build_demo, summary
from chibo.demo.accounts import ACCOUNTS


class Command(BaseCommand):
    help = "Create the demo organizations, members and accounts. Safe to run again."

    def handle(self, *args, **options):
        demo = build_demo()
        for kind, count in summary(demo).items():
            new = demo.created[kind]
            self.stdout.write(f"{kind}: {count}" + (f" ({new} new)" if new else ""))
        accounts = ", ".join(account.username for account in ACCOUNTS)
        message = f"Demo ready. Accounts {accounts}; password {PASSWORD}."
        self.stdout.write(self.style.SUCCESS(message))
