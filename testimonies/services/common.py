"""What every write shares: the user type, the refusal, the permission check, the row lock."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

User = AbstractBaseUser | AnonymousUser


class WorkflowError(Exception):
    """A status change that is not allowed; the message is fit to show an editor."""


def _require(user: User, codename: str, refusal: str) -> None:
    if not user.has_perm(f"testimonies.{codename}"):
        raise WorkflowError(refusal)


def _locked(instance: models.Model) -> models.Model:
    return type(instance).objects.select_for_update().get(pk=instance.pk)
