import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English here (msgids); the Estonian ones in their own tests."""
    with translation.override("en"):
        yield
