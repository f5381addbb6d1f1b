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
