#pragma once
// The marks xgettext looks for (scripts/update-po), as in every gettext program:
//   _("text")          translated where it stands;
//   N_("text")         only marked: translated later, where it is used (tables of words);
//   P_("one", "many", n) the form for a count.
// Formatted messages go through credenza::i18n::format(_fmt("... {} ..."), args): marked, and
// translated inside format so that a slip in a translation falls back to the English text.

#include <credenza/i18n.hpp>

#define _(text) ::credenza::i18n::translate(text)
#define N_(text) text
#define P_(singular, plural, count) ::credenza::i18n::translate_plural(singular, plural, count)
#define _fmt(text) text
