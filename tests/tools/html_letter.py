#!/usr/bin/python3
"""Checks the HTML part of a letter, and prepares and reads its rendering by headless Chromium.

    html_letter.py check FILE.eml
        the HTML part, as decoded by Python's email package: <html lang="LANG"> matching the
        Content-Language or "it"/"en" of the text, a viewport meta, no <br> inside a paragraph,
        no external resource (every src/href is the portal link of the text part, no url() or
        <link>/<img>/<script>), the credentials block present, and the same words as the text
        part (the button's own words aside). Problems to stderr, exit 1.
    html_letter.py probe FILE.eml OUT.html
        writes a copy of the HTML part with a script at the end of its body that measures the
        page (innerWidth, scrollWidth, the right edge of the widest element) and copies the
        credentials block's innerText into a <pre id="probe"> as JSON, for `chromium --dump-dom`.
    html_letter.py read DOM.html FILE.eml
        reads that JSON back from the dumped DOM; checks nothing is wider than the viewport
        and that the credentials read back exactly as the text part's "Label: value" lines.
        Prints "width=N scroll=N widest=N"; problems to stderr, exit 1.
"""

import email
import email.policy
import html
import html.parser
import json
import re
import sys

LABELS = ("Codice utente", "User code", "Password", "PIN")
BUTTON_WORDS = ("Apri il registro elettronico", "Open the electronic register")


def parts(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def credential_lines(text):
    return [line for line in text.splitlines() if any(line.startswith(label + ": ") for label in LABELS)]


class Words(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.words, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("title", "head")

    def handle_endtag(self, tag):
        self.skip -= tag in ("title", "head")

    def handle_data(self, data):
        if not self.skip:
            self.words.append(data)


def words(text):
    return re.sub(r"\s+", " ", text).strip()


def check(path):
    text, markup = parts(path)
    problems = []
    if not re.search(r'<html lang="(it|en)">', markup):
        problems.append("no <html lang>")
    if '<meta name="viewport" content="width=device-width, initial-scale=1">' not in markup:
        problems.append("no viewport meta")
    for paragraph in re.findall(r"<p\b[^>]*>(.*?)</p>", markup, re.S):
        if "<br" in paragraph and "<a href" not in paragraph:
            problems.append("a <br> inside a paragraph: " + paragraph[:60])
    portal = re.search(r"^https?://\S+$", text, re.M)
    for link in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', markup):
        if not portal or html.unescape(link) != portal.group(0):
            problems.append("a resource or link that is not the portal: " + link)
    for banned in ("<img", "<link", "<script", "<iframe", "url(", "@import", "<style"):
        if banned in markup.lower():
            problems.append("the HTML part has " + banned)
    if "data-credentials" not in markup:
        problems.append("no credentials block")
    parser = Words()
    parser.feed(markup)
    seen = words(" ".join(parser.words))
    if portal:
        for button in BUTTON_WORDS:
            seen = seen.replace(button + " " + portal.group(0), portal.group(0))
    plain = words(re.sub(r"^- ", "", text, flags=re.M))
    if seen != plain:
        at = next((i for i, (a, b) in enumerate(zip(seen, plain)) if a != b), min(len(seen), len(plain)))
        problems.append("the HTML words differ from the text part at %d: html %r, text %r"
                        % (at, seen[max(0, at - 40):at + 40], plain[max(0, at - 40):at + 40]))
    return problems


PROBE = """<pre id="probe"></pre>
<script>
(function () {
  var widest = 0;
  document.querySelectorAll("body *").forEach(function (element) {
    widest = Math.max(widest, element.getBoundingClientRect().right);
  });
  var block = document.querySelector("[data-credentials]");
  document.getElementById("probe").textContent = JSON.stringify({
    width: window.innerWidth, scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest),
    credentials: block ? block.innerText : null});
})();
</script>
</body>"""


def main(argv):
    if len(argv) == 2 and argv[0] == "check":
        problems = check(argv[1])
    elif len(argv) == 3 and argv[0] == "probe":
        markup = parts(argv[1])[1]
        if "</body>" not in markup:
            sys.exit("no </body> in the HTML part")
        with open(argv[2], "w", encoding="utf-8") as f:
            f.write(markup.replace("</body>", PROBE, 1))
        return
    elif len(argv) == 3 and argv[0] == "read":
        dom = open(argv[1], encoding="utf-8").read()
        found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
        if not found or not found.group(1).strip():
            sys.exit("%s: the probe did not run" % argv[1])
        probe = json.loads(html.unescape(found.group(1)))
        problems = []
        if probe["scroll"] > probe["width"] or probe["widest"] > probe["width"]:
            problems.append("wider than the viewport: %r" % probe)
        expected = credential_lines(parts(argv[2])[0])
        got = [line.strip() for line in (probe["credentials"] or "").splitlines() if line.strip()]
        if got != expected:
            problems.append("the credentials read back as %r, the text part has %r" % (got, expected))
        print("width=%d scroll=%d widest=%d" % (probe["width"], probe["scroll"], probe["widest"]))
    else:
        sys.exit(__doc__)
    for problem in problems:
        print("%s: %s" % (argv[-1] if argv[0] == "check" else argv[1], problem), file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
