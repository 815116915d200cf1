"""chibo.figures: figures over a subtree cached under the versions of the
kinds of data they read, bumped by the writers, computed when the cache is
down; and access.scope_key, what figures cached per scope are keyed by."""

from unittest import mock

import pytest
from django.core.cache import cache

from chibo import access, figures, selectors
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

# A bump at commit needs the database's transaction.
pytestmark = pytest.mark.django_db


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self, value="figures"):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


def memo(compute, *, kinds=(figures.MEETINGS,), key=("A", 2026)):
    return figures.memoised("test", kinds=kinds, key=key, compute=compute)


def test_a_figure_is_computed_once_until_its_kind_changes():
    compute = Counter({"met": 3})
    assert memo(compute) == {"met": 3}
    assert memo(compute) == {"met": 3}
    assert compute.calls == 1
    figures.changed(figures.MEETINGS)
    assert memo(compute) == {"met": 3}
    assert compute.calls == 2


def test_another_kind_changing_keeps_the_figure():
    compute = Counter()
    memo(compute, kinds=[figures.MEETINGS])
    figures.changed(figures.FEEDBACK)
    figures.changed(figures.VISITS)
    memo(compute, kinds=[figures.MEETINGS])
    assert compute.calls == 1


def test_a_figure_reading_two_kinds_follows_both():
    compute = Counter()
    kinds = [figures.TREE, figures.VISITS]
    memo(compute, kinds=kinds)
    figures.changed(figures.TREE)
    memo(compute, kinds=kinds)
    figures.changed(figures.VISITS)
    memo(compute, kinds=kinds)
    assert compute.calls == 3


def test_each_key_has_its_own_figure():
    first, second = Counter("A"), Counter("B")
    assert memo(first, key=("A", 2026)) == "A"
    assert memo(second, key=("B", 2026)) == "B"
    assert memo(second, key=("A", 2026)) == "A"
    assert (first.calls, second.calls) == (1, 1)


def test_a_long_key_is_digested_and_still_apart():
    long_a, long_b = ["x" * 200, 1], ["x" * 200, 2]
    assert memo(Counter("A"), key=long_a) == "A"
    assert memo(Counter("B"), key=long_b) == "B"
    assert memo(Counter("C"), key=long_a) == "A"


def test_the_tree_counts_share_the_tree_version():
    compute = Counter()
    memo(compute, kinds=[figures.TREE])
    before = figures.version(figures.TREE)
    selectors.tree_changed()
    assert figures.version(figures.TREE) == before + 1
    memo(compute, kinds=[figures.TREE])
    assert compute.calls == 2
    assert figures.version_key(figures.TREE) == "chibo:figures:tree:version"


class ManyCounter:
    """A compute function over many ids that records the ids it was asked."""

    def __init__(self):
        self.asked = []

    def __call__(self, ids):
        self.asked.append(sorted(ids))
        return {i: i * 10 for i in ids}


def many(compute, ids, *, kinds=(figures.MEETINGS,)):
    keys = {i: ("node", i) for i in ids}
    return figures.memoised_many("test-many", kinds=kinds, keys=keys, compute=compute)


def test_many_figures_compute_only_the_ids_not_cached():
    compute = ManyCounter()
    assert many(compute, [1, 2]) == {1: 10, 2: 20}
    assert many(compute, [1, 2, 3]) == {1: 10, 2: 20, 3: 30}
    assert many(compute, [3, 1]) == {1: 10, 3: 30}
    assert compute.asked == [[1, 2], [3]]


def test_many_figures_are_recomputed_once_their_kind_changes():
    compute = ManyCounter()
    many(compute, [1, 2])
    figures.changed(figures.FEEDBACK)  # another kind: still cached
    many(compute, [1, 2])
    figures.changed(figures.MEETINGS)
    many(compute, [1, 2])
    assert compute.asked == [[1, 2], [1, 2]]


def test_many_figures_with_no_ids_compute_nothing():
    compute = ManyCounter()
    assert many(compute, []) == {}
    assert compute.asked == []


def test_many_figures_are_computed_when_the_cache_is_down():
    compute = ManyCounter()
    down = mock.Mock(side_effect=ConnectionError("redis down"))
    with mock.patch.object(cache, "get_many", down), mock.patch.object(cache, "set_many", down):
        assert many(compute, [1, 2]) == {1: 10, 2: 20}
        assert many(compute, [1, 2]) == {1: 10, 2: 20}
    assert compute.asked == [[1, 2], [1, 2]]


def test_the_version_is_bumped_again_at_commit(django_capture_on_commit_callbacks):
    before = figures.version(figures.FEEDBACK)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        figures.changed(figures.FEEDBACK)
        during = figures.version(figures.FEEDBACK)
    assert len(callbacks) == 1
    assert before < during < figures.version(figures.FEEDBACK)


def test_the_decorator_bumps_after_the_service_and_returns_its_value():
    seen = []

    @figures.changes(figures.VISITS)
    def service(*, n):
        seen.append(figures.version(figures.VISITS))
        return n * 2

    before = figures.version(figures.VISITS)
    assert service(n=21) == 42
    assert seen == [before]
    assert figures.version(figures.VISITS) == before + 1
    assert service.__name__ == "service"


def test_a_service_that_fails_bumps_nothing():
    @figures.changes(figures.VISITS)
    def service():
        raise RuntimeError("refused")

    before = figures.version(figures.VISITS)
    with pytest.raises(RuntimeError):
        service()
    assert figures.version(figures.VISITS) == before


def test_a_lost_version_never_meets_old_figures():
    memo(Counter("old"))
    cache.delete(figures.version_key(figures.MEETINGS))
    assert memo(Counter("new")) == "new"


def test_figures_are_stored_with_the_ttl():
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        memo(Counter())
    assert stored.call_args.kwargs == {"timeout": figures.TTL_SECONDS}


@pytest.mark.parametrize("kinds", [[], ["members"], [figures.TREE, "roll"]])
def test_unknown_kinds_are_refused(kinds):
    with pytest.raises(ValueError, match="Unknown kinds of figures"):
        figures.changed(*kinds)
    with pytest.raises(ValueError, match="Unknown kinds of figures"):
        figures.changes(*kinds)
    with pytest.raises(ValueError, match="Unknown kinds of figures"):
        memo(Counter(), kinds=kinds)


def test_when_the_cache_is_down_figures_are_computed_every_time():
    compute = Counter(7)
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "incr", side_effect=ConnectionError("down")),
    ):
        assert memo(compute) == 7
        assert memo(compute) == 7
        figures.changed(figures.MEETINGS)  # logged, not raised
    assert compute.calls == 2


def test_when_the_cache_cannot_store_the_figure_is_still_answered():
    compute = Counter(7)
    with mock.patch.object(cache, "set", side_effect=ConnectionError("down")):
        assert memo(compute) == 7
    assert compute.calls == 1


def test_a_figure_computing_none_is_not_taken_for_missing_but_recomputed():
    compute = Counter(None)
    assert memo(compute) is None
    assert memo(compute) is None
    assert compute.calls == 2


# --- scope_key ------------------------------------------------------------------------


def test_scope_key_is_the_same_for_the_same_grants_only():
    a = OrganizationFactory(name="Đảng bộ xã Cò Nòi")
    b = OrganizationFactory(name="Đảng bộ xã Mường Bon")

    def user_with(*roles):
        user = UserFactory()
        for kind, org in roles:
            RoleFactory(user=user, organization=org, kind=kind)
        return user

    one, two = user_with(("staff", a)), user_with(("staff", a))
    assert access.scope_key(one) == access.scope_key(two)
    assert access.scope_key(user_with(("staff", b))) != access.scope_key(one)
    assert access.scope_key(user_with(("admin", a))) != access.scope_key(one)
    both = access.scope_key(user_with(("staff", a), ("staff", b)))
    assert both == access.scope_key(user_with(("staff", b), ("staff", a)))
    assert access.scope_key(UserFactory(is_superuser=True)) == "superuser"
    assert access.scope_key(UserFactory(is_active=False)) == "none"
