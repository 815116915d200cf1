"""Meeting URLs. Each views module appends its own routes below."""

urlpatterns: list = []
