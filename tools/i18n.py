"""Translations of the addons.

    python tools/i18n.py export DB [ADDON ...]   write ADDON/i18n/ADDON.pot from the database
                                                 DB and merge it into ADDON/i18n/fr.po
                                                 (existing French kept, then the shared
                                                 glossary i18n/fr_common.po, else empty)
    python tools/i18n.py check [ADDON ...]       fail on a term of the .pot that fr.po lacks
                                                 or leaves untranslated
    python tools/i18n.py check --db DB [ADDON ...]
                                                 the same for the terms the code of the
                                                 addons has now, exported afresh from DB
                                                 (a .pot not exported again after a change
                                                 cannot hide a term)

The export needs the config written by tools/dev.sh (.local/odoo.conf).
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ["telecoop_membership", "telecoop_mobile_billing", "telecoop_agm"]


COMMON = ROOT / "i18n" / "fr_common.po"


def pot_path(addon):
    return ROOT / addon / "i18n" / f"{addon}.pot"


def fr_path(addon):
    return ROOT / addon / "i18n" / "fr.po"


def export(db, addons):
    for addon in addons:
        pot = pot_path(addon)
        pot.parent.mkdir(exist_ok=True)
        export_pot(db, addon, pot)
        template = polib.pofile(str(pot))
        old = polib.pofile(str(fr_path(addon))) if fr_path(addon).exists() else polib.POFile()
        known = {(e.msgctxt, e.msgid): e.msgstr for e in old}
        known_by_id = {e.msgid: e.msgstr for e in polib.pofile(str(COMMON)) if e.msgstr}
        known_by_id.update({e.msgid: e.msgstr for e in old if e.msgstr})
        merged = polib.POFile(wrapwidth=78)
        merged.metadata = dict(template.metadata)
        merged.metadata.update({"Language": "fr", "Plural-Forms": "nplurals=2; plural=(n > 1);"})
        for entry in template:
            entry.msgstr = known.get((entry.msgctxt, entry.msgid)) or known_by_id.get(
                entry.msgid, ""
            )
            merged.append(entry)
        merged.save(str(fr_path(addon)))
        missing = [e.msgid for e in merged if not e.msgstr]
        print(f"{addon}: {len(merged)} terms, {len(missing)} to translate in {fr_path(addon)}")


def export_pot(db, addon, path):
    subprocess.run(
        [sys.executable, "-m", "odoo", "i18n", "export", "-c", str(ROOT / ".local/odoo.conf"),
         "-d", db, addon, "-o", str(path)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def check(addons, db=None):
    failures = []
    for addon in addons:
        if not pot_path(addon).exists() or not fr_path(addon).exists():
            failures.append(f"{addon}: i18n/{addon}.pot or i18n/fr.po is missing")
            continue
        pot = pot_path(addon)
        if db:
            with tempfile.TemporaryDirectory() as tmp:
                pot = Path(tmp) / f"{addon}.pot"
                export_pot(db, addon, pot)
                template = polib.pofile(str(pot))
        else:
            template = polib.pofile(str(pot))
        french = {e.msgid: e for e in polib.pofile(str(fr_path(addon)))}
        for entry in template:
            fr_entry = french.get(entry.msgid)
            if fr_entry is None or not fr_entry.msgstr or "fuzzy" in fr_entry.flags:
                where = entry.occurrences[0][0] if entry.occurrences else "?"
                failures.append(f"{addon}/i18n/fr.po: untranslated ({where}): {entry.msgid!r}")
    for failure in failures:
        print(failure)
    print(f"translations: {len(addons) - len({f.split('/')[0] for f in failures})} passed, "
          f"{len({f.split('/')[0] for f in failures})} failed")  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "export":
        export(args[0], args[1:] or ADDONS)
    elif command == "check" and args[:1] == ["--db"]:
        sys.exit(check(args[2:] or ADDONS, db=args[1]))
    elif command == "check":
        sys.exit(check(args or ADDONS))
    else:
        sys.exit(__doc__)
