"""The seeds' users work in Russian: every addon of the suite ships a complete ru.po."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDONS = sorted(
    path.parent.name
    for path in (ROOT / "addons").glob("*/__manifest__.py")
    if not path.parent.name.startswith("test_")
)


@pytest.mark.parametrize("name", ADDONS)
def test_russian_translation_is_complete(name):
    i18n = ROOT / "addons" / name / "i18n"
    po = polib.pofile(str(i18n / "ru.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    assert not untranslated, f"{name}/i18n/ru.po leaves untranslated: {untranslated[:10]}"
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not fuzzy, f"{name}/i18n/ru.po has fuzzy entries: {fuzzy[:10]}"
    template = i18n / f"{name}.pot"
    if template.exists():
        missing = {e.msgid for e in polib.pofile(str(template)) if e.msgid} - {e.msgid for e in po}
        assert not missing, f"{name}/i18n/ru.po misses template terms: {sorted(missing)[:10]}"


def _python_terms(name):
    """The Python terms Odoo's export (``--i18n-export``) extracts from addon ``name``:
    Babel's Python extractor with the keywords ``_`` and ``_lt`` (``self.env._`` included),
    as odoo.tools.translate.TranslationModuleReader runs it, file by file. A file Babel
    cannot read to its end (for instance an f-string among the arguments of ``_()``,
    which it evaluates) is reported, as Odoo would silently lose its remaining terms."""
    from babel.messages.extract import extract  # noqa: PLC0415 -- from Odoo's requirements

    terms, failures = {}, []
    for path in sorted((ROOT / "addons" / name).rglob("*.py")):
        with path.open("rb") as source:
            try:
                for lineno, message, _comments, _context in extract(
                    "python",
                    source,
                    keywords={"_": None, "_lt": None},
                    options={"encoding": "UTF-8"},
                ):
                    terms.setdefault(message, f"{path.relative_to(ROOT)}:{lineno}")
            except Exception as error:  # noqa: BLE001 -- what Odoo's export logs and skips
                failures.append(f"{path.relative_to(ROOT)}: {error!r}")
    return terms, failures


@pytest.mark.parametrize("name", ADDONS)
def test_every_python_term_is_exported_and_translated(name):
    terms, failures = _python_terms(name)
    assert not failures, f"Odoo's export cannot read these files to their end: {failures}"
    po = polib.pofile(str(ROOT / "addons" / name / "i18n" / "ru.po"))
    translated = {entry.msgid for entry in po if entry.msgstr and not entry.obsolete}
    missing = {term: where for term, where in terms.items() if term not in translated}
    assert not missing, f"{name}/i18n/ru.po does not translate: {missing}"
