"""The seeds' users work in Russian: every addon of the suite ships a complete ru.po."""

import re
import subprocess
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


@pytest.fixture(scope="module")
def suite_terms(odoo_command, odoo_server, suite_addons, tmp_path_factory):
    """Odoo's own term export (``odoo-bin --i18n-export``) of the suite's addons from the
    live all-addons database, the one ``setup/run`` serves (sms, calendar... installed):
    its fields, views, data and code, as a translator gets them."""
    out = tmp_path_factory.mktemp("i18n") / "suite.pot"
    result = subprocess.run(  # noqa: S603
        [
            *odoo_command,
            "-d",
            odoo_server["db"],
            f"--i18n-export={out}",
            f"--modules={','.join(suite_addons)}",
            "--log-level=warn",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0 and out.exists(), log[-3000:]
    assert "Failed to extract" not in log, log[-3000:]
    return polib.pofile(str(out))


def _term_addons(entry):
    """The addons an exported term belongs to, from its occurrences
    (``model:ir.model.fields,field_description:<addon>.field_...``, ``code:addons/<addon>/...``)."""
    addons = set()
    for where, _line in entry.occurrences:
        match = re.match(r"(?:code:addons/([^/]+)/|model(?:_terms)?:[^:]+:([^.]+)\.)", where)
        if match:
            addons.add(match.group(1) or match.group(2))
    return addons


def test_every_exported_term_is_translated(suite_terms, suite_addons):
    translated = {}
    for name in suite_addons:
        po = polib.pofile(str(ROOT / "addons" / name / "i18n" / "ru.po"))
        translated[name] = {entry.msgid for entry in po if entry.msgstr and not entry.obsolete}
    missing = sorted(
        (name, entry.msgid)
        for entry in suite_terms
        if entry.msgid
        for name in _term_addons(entry) & set(suite_addons)
        if entry.msgid not in translated[name]
    )
    assert len(suite_terms) > 100, "the export found next to no terms"
    assert not missing, f"terms Odoo exports that ru.po leaves in English: {missing[:20]}"
