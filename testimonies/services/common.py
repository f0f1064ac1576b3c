"""What every write shares: the user type, the refusal, the permission check, the row lock."""

from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.db import models

# Whoever acts: an account with permissions (every staff user), or nobody.
User = PermissionsMixin | AnonymousUser


class WorkflowError(Exception):
    """A status change that is not allowed; the message is fit to show an editor."""


class ConsentNeeded(WorkflowError):
    """Publication refused for want of the narrator's consent: the reviewer's next step
    is the consent record, which the admin links to."""


def _require(user: User, codename: str, refusal: str) -> None:
    if not user.has_perm(f"testimonies.{codename}"):
        raise WorkflowError(refusal)


def _locked[M: models.Model](instance: M) -> M:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)
