"""Writes to staff accounts: an editor or reviewer account, made the one right way."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field

# Each role is one of the editorial groups the testimonies' second migration
# creates; the group, not the account, holds the permissions.
ROLE_GROUPS = {"editor": "Editor", "reviewer": "Reviewer"}


class AccountError(Exception):
    """An account that cannot be made as asked; the message says why and what to do."""


def staff_account_refusal(*, username: str) -> str | None:
    """Why an account of this name cannot be created, or None if it can."""
    User = get_user_model()
    try:
        field = User._meta.get_field(User.USERNAME_FIELD)
        assert isinstance(field, Field)  # a user name is a column, never a relation
        field.run_validators(username)
    except ValidationError as error:
        return f"{username!r} cannot be a user name: {' '.join(error.messages)}"
    existing = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if existing is None:
        return None
    roles = ", ".join(existing.groups.order_by("name").values_list("name", flat=True))
    kind = "a superuser" if existing.is_superuser else (roles or "no role")
    # Refused rather than updated: a typo or a rerun script must not change
    # someone else's account, its password or its role.
    return (
        f"An account named {username!r} already exists ({kind}); nothing was changed. "
        "Choose another name, or change its groups in the admin (Users)."
    )


def password_problems(*, username: str, email: str, password: str) -> list[str]:
    """What the password validators say against this password for this account."""
    try:
        validate_password(password, get_user_model()(username=username, email=email))
    except ValidationError as error:
        return list(error.messages)
    return []


@transaction.atomic
def staff_account_create(
    *, username: str, role: str, password: str, email: str = ""
) -> AbstractBaseUser:
    """A staff account in the group of ``role``, never a superuser."""
    if role not in ROLE_GROUPS:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(ROLE_GROUPS)}.")
    if refusal := staff_account_refusal(username=username):
        raise AccountError(refusal)
    if problems := password_problems(username=username, email=email, password=password):
        raise AccountError("Password refused: " + " ".join(problems))
    user = get_user_model().objects.create_user(
        username, email=email, password=password, is_staff=True, is_superuser=False
    )
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user
