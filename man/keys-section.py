#!/usr/bin/env python3
# keys-section.py - the KEYS section of celldesk(1) from the interface's
# own command tables (`celldesk keys --format json` on stdin), between
# the page's "begin keys" and "end keys" comments. When the tables change:
#   celldesk keys --format json | python3 man/keys-section.py --update man/celldesk.1
# tests/tui/test_keys.sh runs it with --check, which prints what differs
# and exits 1 when the page and the tables disagree.
import difflib
import json
import sys

BEGIN = '.\\" begin keys\n'
END = '.\\" end keys\n'

HEADINGS = {
    "everywhere": "Everywhere",
    "tabs": "Tabs",
    "form": "In a form",
    "prompt": "Editing a prompt or a form field",
}


def esc(text):
    # mdoc: a line may not start with a dot or quote; backslashes doubled.
    text = text.replace("\\", "\\e")
    return "\\&" + text if text[:1] in (".", "'") else text


def section(rows):
    out = []
    screen = None
    for r in rows:
        if r["screen"] != screen:
            if screen is not None:
                out.append(".El")
            screen = r["screen"]
            out.append(".Ss " + HEADINGS.get(screen, "The " + screen + " screen"))
            out.append(".Bl -tag -width Ds -compact")
        roles = "" if r["roles"] == "-" else " (" + r["roles"] + ")"
        out.append('.It Li "\\&%s"' % r["keys"].replace('"', '""'))
        out.append(esc(r["does"] + roles))
    if screen is not None:
        out.append(".El")
    return "\n".join(out) + "\n"


def main():
    want = section(json.load(sys.stdin))
    if len(sys.argv) < 3:
        sys.stdout.write(want)
        return 0
    mode, page = sys.argv[1], sys.argv[2]
    with open(page, encoding="utf-8") as f:
        text = f.read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    have = text[start:end]
    if mode == "--update":
        with open(page, "w", encoding="utf-8") as f:
            f.write(text[:start] + want + text[end:])
        return 0
    if have == want:
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        have.splitlines(True), want.splitlines(True), page + " (KEYS)",
        "celldesk keys"))
    return 1


sys.exit(main())
