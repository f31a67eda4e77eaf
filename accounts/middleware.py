from django.utils.deprecation import MiddlewareMixin


class EstonianFirstMiddleware(MiddlewareMixin):
    """Estonian is the language until the user picks English with the switch.

    Django's LocaleMiddleware would otherwise follow the browser's
    Accept-Language, showing English to everyone with an English browser."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
