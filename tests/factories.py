"""factory_boy factories shared by the whole suite. Apps add theirs below."""

import factory

from accounts.models import Municipality, Role, User


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Testvald {n}")
    code = factory.Sequence(lambda n: f"{1000 + n % 7000:04d}")  # 4 digits however many tests ran


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Kasutaja{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.CASE_MANAGER
    municipality = factory.LazyAttribute(
        lambda u: MunicipalityFactory() if u.role in (Role.CASE_MANAGER, Role.COORDINATOR) else None
    )
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
