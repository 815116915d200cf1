from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The current query string on page `number` of the list paged by `param`
    (a page showing two lists pages each by its own parameter)."""
    return query_replace(context, **{param: number})
