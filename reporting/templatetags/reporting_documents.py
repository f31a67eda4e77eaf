"""``{% case_documents case as documents %}``: the documents a record's page offers the user."""

from django import template

from reporting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def case_documents(context, case):
    request = context.get("request")
    if request is None:
        return []
    return selectors.case_documents(request.user, case)
