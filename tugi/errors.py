"""The base of every app's domain error, and saving a model through its validation."""

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule was broken; ``message`` (translatable) is shown to the user,
    next to ``field`` when the rule concerns one form field."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def validated_save(obj, error: type[DomainError] = DomainError) -> None:
    """``full_clean()`` then ``save()``; the first validation message becomes ``error``."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise error(messages[0], field=None if field == "__all__" else field) from exc
    obj.save()
