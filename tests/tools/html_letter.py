#!/usr/bin/python3
"""Checks the HTML part of a letter, and prepares and reads its rendering by headless Chromium.

    html_letter.py check FILE.eml
        the HTML part, as decoded by Python's email package: <html lang="LANG"> matching the
        Content-Language or "it"/"en" of the text, a viewport meta, no <br> inside a paragraph,
        no external resource (every src/href is the portal link of the text part, no url() or
        <link>/<img>/<script>), the credentials block present, and the same words as the text
        part (the button's own words aside). Problems to stderr, exit 1.
    html_letter.py probe OUT.html FILE.eml...
        writes one page holding each letter's HTML part twice, in frames 390 and 900 px wide
        (srcdoc, so a script may read them), and a script that, once loaded, measures each
        frame (innerWidth, scrollWidth, the right edge of the widest element) and copies its
        credentials block's innerText into a <pre id="probe"> as JSON, for `chromium --dump-dom`.
        One Chromium start renders them all.
    html_letter.py read DOM.html FILE.eml...
        reads that JSON back from the dumped DOM; checks each frame was laid out at its width,
        nothing is wider, and the credentials read back exactly as the text part's "Label: value"
        lines. Prints one line per frame; problems to stderr, exit 1.
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
        closing = re.fullmatch(r"[^<]{1,32},<br>\n[^<]*", paragraph)
        if "<br" in paragraph and "<a href" not in paragraph and not closing:
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
    problems = ["%s: %s" % (path, problem) for problem in problems]
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


WIDTHS = (390, 900)

# Runs once the page and its frames are loaded; same-origin frames (srcdoc) can be read.
PROBE = """<script>
window.addEventListener("load", function () {
  var results = [];
  document.querySelectorAll("iframe").forEach(function (frame) {
    var page = frame.contentDocument, widest = 0;
    page.querySelectorAll("body *").forEach(function (element) {
      widest = Math.max(widest, element.getBoundingClientRect().right);
    });
    var block = page.querySelector("[data-credentials]");
    results.push({id: frame.id, width: frame.contentWindow.innerWidth,
                  scroll: page.documentElement.scrollWidth, widest: Math.ceil(widest),
                  credentials: block ? block.innerText : null});
  });
  document.getElementById("probe").textContent = JSON.stringify(results);
});
</script>"""


def probe_page(letters):
    frames = []
    for number, path in enumerate(letters):
        markup = parts(path)[1]
        for width in WIDTHS:
            frames.append('<iframe id="%d-%d" style="display:block;border:0;width:%dpx;height:700px" srcdoc="%s">'
                          "</iframe>" % (number, width, width, html.escape(markup, quote=True)))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\n"
            + "\n".join(frames) + '\n<pre id="probe"></pre>\n' + PROBE + "\n</body></html>\n")


def read_probe(dom_path, letters):
    dom = open(dom_path, encoding="utf-8").read()
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    if not found or not found.group(1).strip():
        return ["%s: the probe did not run" % dom_path]
    problems = []
    results = {result["id"]: result for result in json.loads(html.unescape(found.group(1)))}
    for number, path in enumerate(letters):
        expected = credential_lines(parts(path)[0])
        for width in WIDTHS:
            probe = results.get("%d-%d" % (number, width))
            if probe is None:
                problems.append("%s at %d px: not rendered" % (path, width))
                continue
            print("%s width=%d scroll=%d widest=%d" % (path, probe["width"], probe["scroll"], probe["widest"]))
            if probe["width"] != width:
                problems.append("%s: laid out %d px wide, not %d" % (path, probe["width"], width))
            if probe["scroll"] > probe["width"] or probe["widest"] > probe["width"]:
                problems.append("%s: wider than %d px: %r" % (path, width, probe))
            got = [line.strip() for line in (probe["credentials"] or "").splitlines() if line.strip()]
            if got != expected:
                problems.append("%s at %d px: the credentials read back as %r, the text part has %r"
                                % (path, width, got, expected))
    return problems


def main(argv):
    if len(argv) == 2 and argv[0] == "check":
        problems = check(argv[1])
    elif len(argv) >= 3 and argv[0] == "probe":
        with open(argv[1], "w", encoding="utf-8") as f:
            f.write(probe_page(argv[2:]))
        return
    elif len(argv) >= 3 and argv[0] == "read":
        problems = read_probe(argv[1], argv[2:])
    else:
        sys.exit(__doc__)
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
