#pragma once
// The marks xgettext looks for (scripts/update-po), as in every gettext program:
//   _("text")          translated where it stands;
//   N_("text")         only marked: translated later, where it is used (tables of words);
//   P_("one", "many", n) the form for a count;
//   C_("context", "text") translated where it stands, NC_("context", "text") only marked: for a
//   word that means one thing here and another elsewhere ("sent" as a letter's state).
// Formatted messages go through credenza::i18n::format(_fmt("... {} ..."), args): marked, and
// translated inside format so that a slip in a translation falls back to the English text.

#include <credenza/i18n.hpp>

#define _(text) ::credenza::i18n::translate(text)
#define N_(text) text
#define P_(singular, plural, count) ::credenza::i18n::translate_plural(singular, plural, count)
#define _fmt(text) text
#define C_(context, text) ::credenza::i18n::translate_in(context, text)
#define NC_(context, text) text
