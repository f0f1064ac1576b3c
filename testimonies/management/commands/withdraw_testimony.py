"""Withdraw a published testimony (or raid incident) for good, from the command line."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError

from testimonies import services


class Command(BaseCommand):
    help = (
        "Withdraw a published record (consent withdrawn): erases its text from the record, "
        "its versions, its history, the admin log and the search index, and adds it to the "
        "withdrawal ledger. The same service as the admin's Withdraw action."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("public_id", help="e.g. T-0042 (or R-0007 for a raid incident)")
        parser.add_argument("--by", required=True, help="username of the reviewer who withdraws it")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, public_id: str, by: str, yes: bool, **options) -> None:
        public_id = public_id.strip().upper()
        # The prefixes are those of the two withdrawable models, and only theirs.
        model = services.MODEL_OF_PREFIX.get(public_id.split("-", 1)[0])
        record = model.objects.filter(public_id=public_id).first() if model else None
        if record is None:
            raise CommandError(f"No testimony or incident has the public id {public_id!r}.")
        try:
            user = get_user_model().objects.get(username=by, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user is called {by!r}.") from None
        if not yes:
            answer = input(
                f"This erases the text of {public_id} for good, history included. "
                f"Type {public_id} to go ahead: "
            )
            if answer.strip().upper() != public_id:
                raise CommandError("Nothing was withdrawn.")
        try:
            services.withdraw(record=record, by=user)
        except services.WorkflowError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{public_id} withdrawn."))
