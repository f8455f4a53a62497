#!/bin/sh
# After changing a translatable string: update both catalogues and compile them.
# English is translated by hand (review the entries left empty or « fuzzy »). French, the
# source language, is its own msgids: it exists for the French plural rule — 0 and 1 are
# singular (« 0 personne a rejoint ») where gettext without a catalogue says « 0 personnes ».
set -e
cd "$(dirname "$0")/.."
rm -f locale/fr/LC_MESSAGES/django.po
uv run --frozen django-admin makemessages -l fr -l en --no-obsolete --settings=maillage.settings
# French's two forms (gettext's template says three, the third for « de millions », which
# msgen would leave empty): 0 and 1 singular, the rest plural.
python3 - <<'PY'
import re
from pathlib import Path
po = Path("locale/fr/LC_MESSAGES/django.po")
header = '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
po.write_text(re.sub(r'"Plural-Forms:[^\n]*\n("[^"\n]*\\n"\n)?', lambda _: header, po.read_text(), count=1))
PY
msgen locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
uv run --frozen django-admin compilemessages --settings=maillage.settings
