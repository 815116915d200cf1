"""Imports run one way (docs/architecture.md): the top composes the domain
apps, each app imports only the base and the apps below it, and the base
imports no app. Every product module's imports are read (those inside
functions too), and so are the templates' includes, extends and loads."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("chibo", "members", "meetings", "feedback", "reports")

# Most specific prefix first; a module belongs to the layer of its first match.
LAYER_OF_PREFIX = [
    # the top: URLs, the pages that compose apps, the demo and scale data
    ("chibo.urls", "top"),
    ("chibo.shell", "top"),
    ("chibo.orgs", "top"),
    ("chibo.demo", "top"),
    ("chibo.management.commands.seed_demo", "top"),
    ("chibo.management.commands.seed_scale", "top"),
    ("chibo.management.commands.bench_tree", "top"),
    ("chibo.management.commands.bench_export", "top"),
    ("chibo.management.commands.bench_reports", "top"),
    # the domain apps, in their one order
    ("reports", "reports"),
    ("feedback", "feedback"),
    ("meetings", "meetings"),
    ("members", "members"),
    # the base: the tree, roles and access, dates, text, PDF, shared widgets
    ("chibo", "base"),
]
RANK = {"base": 0, "members": 1, "meetings": 2, "feedback": 3, "reports": 4, "top": 5}

# A template's layer, from its name (the app whose templates/ it lives in).
TEMPLATE_LAYER_OF_PREFIX = [
    ("chibo/", "top"),  # the dashboard and the tree's pages
    ("reports/", "reports"),
    ("feedback/", "feedback"),
    ("meetings/", "meetings"),
    ("members/", "members"),
    ("", "base"),  # templates/: base.html, includes/, registration/
]
TEMPLATE_REFERENCE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")
TEMPLATE_LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def layer_of(module: str) -> str | None:
    for prefix, layer in LAYER_OF_PREFIX:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None  # Django, the standard library, third-party packages


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple]:
    """(line, imported module) for every import in the source, wherever it
    stands (module level, functions, TYPE_CHECKING blocks); relative
    imports resolved against `module`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from chibo import orgs` imports chibo.orgs, a layer of its own
            for alias in node.names:
                named = f"{target}.{alias.name}"
                found.append(
                    (node.lineno, named if layer_of(named) != layer_of(target) else target)
                )
    return sorted(set(found))


def upward_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Each import of `module` that reaches a higher layer than its own."""
    own = layer_of(module)
    broken = []
    for line, target in imported_modules(source, module, is_package=is_package):
        other = layer_of(target)
        if own and other and RANK[other] > RANK[own]:
            broken.append(f"{module}:{line} ({own}) imports {target} ({other})")
    return sorted(set(broken))


def product_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            yield path


def template_layer(name: str) -> str:
    return next(layer for prefix, layer in TEMPLATE_LAYER_OF_PREFIX if name.startswith(prefix))


def upward_template_references(text: str, name: str) -> list[str]:
    own = template_layer(name)
    referenced = TEMPLATE_REFERENCE.findall(text)
    # A tag library named after an app ({% load feedback %}) belongs to that app.
    for libraries in TEMPLATE_LOAD.findall(text):
        referenced += [f"{lib}/" for lib in libraries.split() if lib in PACKAGES[1:]]
    return [
        f"{name} ({own}) uses {other} ({template_layer(other)})"
        for other in referenced
        if RANK[template_layer(other)] > RANK[own]
    ]


def product_templates():
    for directory in [ROOT / "templates", *(ROOT / p / "templates" for p in PACKAGES)]:
        for path in sorted(directory.rglob("*.html")):
            yield path.relative_to(directory).as_posix(), path


def test_every_product_module_has_a_layer():
    modules = [module_name(path) for path in product_modules()]
    assert len(modules) > 100
    assert [m for m in modules if layer_of(m) is None] == []


def test_no_module_imports_a_higher_layer():
    broken = []
    for path in product_modules():
        broken += upward_imports(
            path.read_text(), module_name(path), is_package=path.name == "__init__.py"
        )
    assert broken == []


def test_no_template_uses_a_higher_layer():
    broken = []
    for name, path in product_templates():
        broken += upward_template_references(path.read_text(), name)
    assert broken == []


def test_only_access_reads_grants():
    """Grants and role paths are read by chibo/access/ and the policies each
    app registers with it (<app>/policies.py), nowhere else."""
    readers = []
    for path in product_modules():
        module = module_name(path)
        if module.startswith("chibo.access") or module.endswith(".policies"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            name = getattr(node, "attr", None) or getattr(node, "id", None)
            if name in {"grants_for", "Grants", "paths_of", "ids_of", "assigned_cell_ids"}:
                readers.append(f"{module}:{node.lineno} {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not node.level:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            readers += [
                f"{module}:{node.lineno} imports {target}"
                for target in targets
                if target.startswith(("chibo.access.roles", "chibo.access.policies"))
            ]
    assert readers == []


# The checker itself, on deliberately bad code.


@pytest.mark.parametrize(
    "module, source, expected",
    [
        (
            "meetings.snapshot",
            "def build():\n    from feedback.selectors import answers_read_back\n",
            ["meetings.snapshot:2 (meetings) imports feedback.selectors (feedback)"],
        ),
        (
            "chibo.access.policies",
            "import meetings.models\n",
            ["chibo.access.policies:1 (base) imports meetings.models (meetings)"],
        ),
        (
            "chibo.selectors",
            "from chibo.orgs import pages\n",
            ["chibo.selectors:1 (base) imports chibo.orgs (top)"],
        ),
        (
            "members.xlsx.importer",
            "from meetings import extensions\n",
            ["members.xlsx.importer:1 (members) imports meetings (meetings)"],
        ),
        ("feedback.views.items", "from meetings.models import Meeting\nimport django\n", []),
        ("chibo.shell.dashboard", "from feedback import selectors\n", []),
        ("meetings.views.meeting", "from .. import extensions\n", []),
    ],
)
def test_the_checker_finds_upward_imports(module, source, expected):
    assert upward_imports(source, module) == expected


def test_the_checker_resolves_relative_imports_upward():
    # chibo/access/__init__.py doing `from ..orgs import pages`
    assert upward_imports("from ..orgs import pages\n", "chibo.access", is_package=True) == [
        "chibo.access:1 (base) imports chibo.orgs (top)"
    ]
    assert upward_imports("from chibo import orgs\n", "chibo.tree") == [
        "chibo.tree:1 (base) imports chibo.orgs (top)"
    ]


def test_the_checker_finds_upward_templates():
    text = '{% load i18n feedback %}{% include "feedback/_meeting_feedback.html" %}'
    assert upward_template_references(text, "meetings/meeting_detail.html") == [
        "meetings/meeting_detail.html (meetings) uses feedback/_meeting_feedback.html (feedback)",
        "meetings/meeting_detail.html (meetings) uses feedback/ (feedback)",
    ]
    assert upward_template_references('{% extends "base.html" %}', "feedback/x.html") == []
