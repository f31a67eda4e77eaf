import pytest

from accounts import demo as accounts_demo
from accounts.models import User
from providers import demo
from providers.models import Contract, Provider

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_kov_five_to_eight_providers_and_can_run_twice():
    accounts_demo.load()
    demo.load()
    demo.load()
    for code in ("9901", "9902"):
        providers = Provider.objects.filter(contracts__municipality__code=code).distinct()
        assert 5 <= providers.count() <= 8
        assert providers.filter(offers_base_support=True).exists()
        assert providers.filter(
            works_offered__contains=["õmblemine", "koristus", "pakkimine"]
        ).exists()
    assert all(c.prices.exists() for c in Contract.objects.all())
    spetsialist = User.objects.get(username="spetsialist")
    assert spetsialist.provider.offers_base_support
    assert spetsialist.provider.contracts.get().municipality.code == "9901"
