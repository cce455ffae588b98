#!/usr/bin/env bash
# The message catalogs are complete and current: po/credenza.pot holds exactly the messages marked
# in the sources, and every po/LANG.po translates each of them, none fuzzy, with the same {} fields
# (a translation with other fields would make a message fall back to English).
#   po_check.bash SOURCE_DIR
set -euo pipefail
cd "$1"
status=0

scripts/update-po --check || status=1

while read -r language; do
  case "$language" in ''|'#'*) continue ;; esac
  po="po/$language.po"
  # msgmerge's view: a message of the template missing from the catalog counts as untranslated.
  merged=$(mktemp)
  msgmerge --quiet --no-wrap -o "$merged" "$po" po/credenza.pot
  stats=$(msgfmt --check --statistics -o /dev/null "$merged" 2>&1) || { echo "$po: msgfmt --check failed: $stats" >&2; status=1; }
  if grep -Eq 'fuzzy|untranslated' <<<"$stats"; then
    echo "$po: not complete: $stats" >&2
    msgattrib --no-wrap --untranslated "$merged" | grep '^msgid' | head -20 >&2
    msgattrib --no-wrap --only-fuzzy "$merged" | grep '^msgid' | head -20 >&2
    status=1
  fi
  # The {} fields of fmt: the same in every translation as in the message.
  /usr/bin/python3 - "$merged" <<'PY' || status=1
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
def unquote(block):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
bad = 0
for entry in text.split("\n\n"):
    if "#~" in entry or "msgid_plural" in entry:
        continue
    m = re.search(r'^msgid (.*?)^msgstr (.*)', entry, re.S | re.M)
    if not m:
        continue
    msgid, msgstr = unquote(m.group(1)), unquote(m.group(2))
    if not msgid or not msgstr:
        continue
    fields = lambda s: sorted(re.findall(r'\{[^{}]*\}', s.replace("{{", "").replace("}}", "")))
    if fields(msgid) != fields(msgstr):
        print(f"{sys.argv[1]}: fields differ: {msgid!r} -> {msgstr!r}", file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
  rm -f "$merged"
done < po/LINGUAS
exit $status
