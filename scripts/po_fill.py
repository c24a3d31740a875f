"""Helper for filling the English gettext catalogue (locale/en/LC_MESSAGES/django.po).

Needs `polib` (a tool-only dependency; not in requirements): `.venv/bin/pip install polib`.

Usage:
  python scripts/po_fill.py dump  [--po PATH] [--all] > todo.json
      Writes the untranslated (or fuzzy) entries as JSON: [{"msgid", "msgid_plural",
      "msgctxt", "flags", "refs", "comment"}]. With --all, every entry.
  python scripts/po_fill.py apply TRANSLATIONS.json [--po PATH] [--overwrite]
      TRANSLATIONS.json is a list of {"msgid", ["msgctxt"], "msgstr"} or
      {"msgid", ["msgctxt"], "msgstr_plural": [one, other]}. Each translation is
      checked (placeholders %(x)s / %s / {x}, leading/trailing newlines) before it
      is written; the fuzzy flag and stale "previous msgid" of the filled entry are
      cleared. Existing translations are kept unless --overwrite.
  python scripts/po_fill.py check [--po PATH]
      Lists untranslated/fuzzy entries and placeholder mismatches; exit 1 if any.
"""

import argparse
import json
import re
import sys
from datetime import datetime
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

LANGUAGE_NAMES = {"en": "English", "id": "Indonesian"}

PRINTF_RE = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACE_RE = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def placeholders(text, flags):
    found = []
    if "python-format" in flags:
        found += [p for p in PRINTF_RE.findall(text) if p != "%%"]
    if "python-brace-format" in flags:
        found += BRACE_RE.findall(text)
    return sorted(found)


def edge_newlines(text):
    return (len(text) - len(text.lstrip("\n")), len(text) - len(text.rstrip("\n")))


def problems(entry):
    out = []
    flags = entry.flags
    if entry.msgid_plural:
        forms = [entry.msgstr_plural.get(i, "") for i in sorted(entry.msgstr_plural)]
        pairs = [(entry.msgid, forms[0] if forms else "")] + [(entry.msgid_plural, f) for f in forms[1:]]
    else:
        pairs = [(entry.msgid, entry.msgstr)]
    for source, target in pairs:
        if not target:
            out.append("untranslated")
            continue
        src_ph, dst_ph = placeholders(source, flags), placeholders(target, flags)
        # Unnamed %s must match in order and count; named ones as a set (a singular
        # form may legitimately drop the count, e.g. "one item").
        if "python-format" in flags or "python-brace-format" in flags:
            if entry.msgid_plural and set(dst_ph) <= set(src_ph) and any("(" in p or "{" in p for p in src_ph):
                pass
            elif src_ph != dst_ph:
                out.append(f"placeholders {src_ph} != {dst_ph}")
        if edge_newlines(source) != edge_newlines(target):
            out.append("leading/trailing newlines differ")
    if "fuzzy" in flags:
        out.append("fuzzy")
    return out


def fix_header(po, path):
    """Fill the template header makemessages leaves fuzzy (Language, revision date)."""
    language = Path(path).resolve().parent.parent.name  # locale/<lang>/LC_MESSAGES/x.po
    po.metadata["Language"] = language
    po.metadata["PO-Revision-Date"] = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata_is_fuzzy = False
    defaults = {
        "Project-Id-Version": ("PACKAGE VERSION", "Layanan Publik Kota Kupang"),
        "Last-Translator": ("FULL NAME <EMAIL@ADDRESS>", "Layanan Publik Kota Kupang"),
        "Language-Team": ("LANGUAGE <LL@li.org>", LANGUAGE_NAMES.get(language, language)),
    }
    for field, (template, value) in defaults.items():
        if po.metadata.get(field, template) == template:
            po.metadata[field] = value
    if po.header.startswith("SOME DESCRIPTIVE TITLE."):
        po.header = f"{LANGUAGE_NAMES.get(language, language)} translation of Layanan Publik Kota Kupang."


def load(path):
    return polib.pofile(str(path), wrapwidth=79)


def cmd_dump(args):
    po = load(args.po)
    rows = []
    for e in po:
        if e.obsolete:
            continue
        todo = "fuzzy" in e.flags or (
            not any(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr
        )
        if args.all or todo:
            rows.append({
                "msgid": e.msgid, "msgid_plural": e.msgid_plural or None, "msgctxt": e.msgctxt,
                "flags": e.flags, "refs": [f"{f}:{l}" for f, l in e.occurrences],
                "comment": e.comment or None,
            })
    json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
    print()


def cmd_apply(args):
    po = load(args.po)
    index = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    data = json.loads(Path(args.translations).read_text(encoding="utf-8"))
    filled = skipped = 0
    errors = []
    for row in data:
        key = (row.get("msgctxt"), row["msgid"])
        entry = index.get(key)
        if entry is None:
            errors.append(f"not in catalogue: {row['msgid']!r}")
            continue
        has = any(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
        if has and "fuzzy" not in entry.flags and not args.overwrite:
            skipped += 1
            continue
        old = (entry.msgstr, dict(entry.msgstr_plural), list(entry.flags))
        if entry.msgid_plural:
            forms = row.get("msgstr_plural")
            if not forms:
                errors.append(f"plural entry needs msgstr_plural: {row['msgid']!r}")
                continue
            nplurals = max(len(entry.msgstr_plural), 2)
            forms = (list(forms) + [forms[-1]] * nplurals)[:nplurals]
            entry.msgstr_plural = {i: f for i, f in enumerate(forms)}
        else:
            entry.msgstr = row["msgstr"]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        bad = problems(entry)
        if bad:
            entry.msgstr, entry.msgstr_plural, entry.flags = old[0], old[1], old[2]
            errors.append(f"{row['msgid']!r}: {', '.join(bad)}")
            continue
        filled += 1
    if filled or po.metadata_is_fuzzy:
        fix_header(po, args.po)
    po.save(str(args.po))
    print(f"filled {filled}, kept {skipped} existing, {len(errors)} rejected")
    for err in errors:
        print("  REJECTED", err)
    return 1 if errors else 0


def cmd_check(args):
    po = load(args.po)
    bad = 0
    for e in po:
        if e.obsolete:
            continue
        p = problems(e)
        if p:
            bad += 1
            print(f"{e.msgid!r}: {', '.join(p)}")
    total = len([e for e in po if not e.obsolete])
    print(f"{total} entries, {bad} with problems")
    return 1 if bad else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("--all", action="store_true")
    a = sub.add_parser("apply")
    a.add_argument("translations")
    a.add_argument("--overwrite", action="store_true")
    c = sub.add_parser("check")
    for p in (d, a, c):
        p.add_argument("--po", type=Path, default=DEFAULT_PO)
    args = parser.parse_args()
    return {"dump": cmd_dump, "apply": cmd_apply, "check": cmd_check}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
