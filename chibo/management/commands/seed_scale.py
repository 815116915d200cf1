from django.core.management.base import BaseCommand, CommandError

from chibo.demo.scale import USERNAMES, Refused, build_scale


class Command(BaseCommand):
    help = (
        "Build a deterministic province to measure on (communes, cells, members, cadres, "
        "months of meetings with final minutes, feedback). Refuses a database that holds "
        "organizations unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cells", type=int, default=10_000)
        parser.add_argument("--members", type=int, default=200_000)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default="chibo-scale")
        parser.add_argument(
            "--reset", action="store_true", help="Empty the product's tables first."
        )

    def handle(self, *args, **options):
        try:
            result = build_scale(
                cells=options["cells"],
                members=options["members"],
                months=options["months"],
                seed=options["seed"],
                password=options["password"],
                reset=options["reset"],
                log=self.stdout.write,
            )
        except (Refused, ValueError) as error:
            raise CommandError(str(error)) from error
        for table, count in result.counts.items():
            self.stdout.write(f"{table}: {count}")
        states = ", ".join(f"{state} {n}" for state, n in result.feedback_states.items())
        self.stdout.write(f"feedback items by state: {states}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Province ready in {result.seconds:.0f} s. Accounts {', '.join(USERNAMES)}; "
                f"password {options['password']}."
            )
        )
