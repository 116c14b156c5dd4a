"""Forms and serializers list their fields: no `fields = "__all__"` and no `exclude`
anywhere in the application's code, so a field added to a model (an owner, a team,
a role) never becomes writable by accident (ASVS 4.2 / mass assignment).

Two proofs: the source is read (every module, also those not imported by any
URL), and every ModelForm and ModelSerializer class loaded in the running
application is inspected."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "cases", "interventions", "outcomes", "youthcase")


def _sources() -> list[Path]:
    return sorted(
        path
        for app in APPS
        if (ROOT / app).is_dir()
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def open_field_lists(source: str) -> list[str]:
    """Where `source` lets a form or serializer take every field: `fields = "__all__"`
    (in a Meta class or passed as `fields=` anywhere), or an `exclude` list in a Meta
    class or given to a form factory (a deny list lets a new model field through).
    `full_clean(exclude=...)` is model validation and not a field list."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if "fields" in names and isinstance(node.value, ast.Constant) and node.value.value == "__all__":
                found.append(f'line {node.lineno}: fields = "__all__"')
            if "exclude" in names:
                found.append(f"line {node.lineno}: exclude = ...")
        elif isinstance(node, ast.Call):
            factory = getattr(node.func, "id", getattr(node.func, "attr", "")).endswith("_factory")
            for keyword in node.keywords:
                value = keyword.value
                all_fields = isinstance(value, ast.Constant) and value.value == "__all__"
                if (keyword.arg == "fields" and all_fields) or (keyword.arg == "exclude" and factory):
                    found.append(f"line {value.lineno}: {keyword.arg}=...")
    return sorted(found, key=lambda hit: int(hit.split(":")[0].removeprefix("line ")))


def test_the_scanner_finds_each_form_of_open_field_list():
    source = """
class A(forms.ModelForm):
    class Meta:
        model = X
        fields = "__all__"
class B(serializers.ModelSerializer):
    class Meta:
        model = X
        exclude = ["team"]
C = modelform_factory(X, fields="__all__")
D = modelform_factory(X, exclude=["owner"])
contact.full_clean(exclude=["worker"])  # model validation, not a field list
class E(forms.ModelForm):
    class Meta:
        model = X
        fields = ["name"]
"""
    assert open_field_lists(source) == [
        'line 5: fields = "__all__"',
        "line 9: exclude = ...",
        "line 10: fields=...",
        "line 11: exclude=...",
    ]


def test_no_open_field_list_in_the_code():
    sources = _sources()
    assert len(sources) > 50  # the scan reads the application, not an empty folder
    found = {str(path.relative_to(ROOT)): hits for path in sources if (hits := open_field_lists(path.read_text()))}
    assert found == {}


def _import_everything() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or module.name.endswith((".tests", ".wsgi", ".asgi")):
                continue
            importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def _ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in APPS


@pytest.mark.parametrize("base", [forms.ModelForm, serializers.ModelSerializer])
def test_every_loaded_model_form_and_serializer_lists_its_fields(base):
    _import_everything()
    classes = sorted((c for c in _subclasses(base) if _ours(c)), key=lambda c: f"{c.__module__}.{c.__qualname__}")
    assert classes, f"no {base.__name__} found in the application"
    open_lists = []
    for cls in classes:
        meta = getattr(cls, "Meta", None)
        fields = getattr(meta, "fields", None)
        if fields == "__all__" or getattr(meta, "exclude", None) or not isinstance(fields, list | tuple):
            open_lists.append(f"{cls.__module__}.{cls.__qualname__}")
    assert open_lists == []
