#!/usr/bin/env bash
# The Debian package as an admin meets it:
#   package.bash BUILD_DIR SOURCE_DIR
# builds the .deb with cpack from the build tree, checks it with lintian, then installs it as root,
# runs the installed binary as the credenza user with the installed configuration against the test
# SMTP server, removes, reinstalls and purges it, and shows what is left.
# Everything dpkg does happens in a private mount namespace with /etc, /usr and /var overlaid on
# throwaway folders: no other test (nor the machine) ever sees the installed /etc/credenza.
set -euo pipefail

BUILD=$(realpath "$1")
SOURCE=$(realpath "$2")

if [ "$(id -u)" -ne 0 ]; then
    echo "package: skipped: installing a package needs root"
    exit 77
fi

if [ -z "${PACKAGE_TEST_INSIDE:-}" ]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/credenza-package.XXXXXX")
    chmod 0755 "$WORK"
    trap 'rm -rf "$WORK"' EXIT
    cpack -G DEB -B "$WORK/deb" --config "$BUILD/CPackConfig.cmake" >"$WORK/cpack.log" 2>&1 ||
        { cat "$WORK/cpack.log"; exit 1; }
    DEB=$(ls "$WORK"/deb/credenza_*.deb)
    echo "package: built $(basename "$DEB")"
    # Every tag that lintian reports as an error or a warning fails the test (the package has no
    # overrides: a tag that must stay would be overridden there, with its reason).
    runuser -u nobody -- lintian --fail-on error,warning --display-info "$DEB" | sed 's/^/lintian: /'
    echo "package: lintian: no error, no warning"
    export PACKAGE_TEST_INSIDE=1 WORK DEB
    unshare --mount --propagation private bash "$0" "$@"
    exit $?
fi

# ---- inside the private mount namespace ----
for dir in etc usr var; do
    mkdir -p "$WORK/overlay/$dir/upper" "$WORK/overlay/$dir/work"
    mount -t overlay overlay \
        -o "lowerdir=/$dir,upperdir=$WORK/overlay/$dir/upper,workdir=$WORK/overlay/$dir/work" "/$dir"
done

FAILED=0
check() { # check DESCRIPTION COMMAND...: one line per check
    local description=$1
    shift
    if "$@"; then
        echo "ok   - $description"
    else
        echo "FAIL - $description"
        FAILED=1
    fi
}
as_credenza() { (cd /var/lib/credenza && runuser -u credenza -- /usr/bin/credenza "$@"); }
logged() { local log=$1; shift; "$@" >"$WORK/$log.log" 2>&1; } # logged NAME COMMAND...
mode_owner() { stat -c '%a %U:%G' "$1"; }
export DEBIAN_FRONTEND=noninteractive

dpkg -i "$DEB" >"$WORK/dpkg-install.log" 2>&1 || { cat "$WORK/dpkg-install.log"; exit 1; }
check "the credenza system user exists" getent passwd credenza
check "/var/lib/credenza is 0700 credenza:credenza" test "$(mode_owner /var/lib/credenza)" = "700 credenza:credenza"
check "/var/backups/credenza is 0700 credenza:credenza" \
    test "$(mode_owner /var/backups/credenza)" = "700 credenza:credenza"
check "/etc/credenza is 0750 root:credenza" test "$(mode_owner /etc/credenza)" = "750 root:credenza"
check "the configuration is a conffile" \
    bash -c "dpkg-query -W -f='\${Conffiles}' credenza | grep -q '/etc/credenza/credenza.conf'"
check "the configuration names the database in /var/lib/credenza" \
    grep -qx 'db = /var/lib/credenza/credenza.db' /etc/credenza/credenza.conf
check "credenza is on cron's PATH" test -x /usr/bin/credenza
check "the man pages are installed, compressed" test -s /usr/share/man/man1/credenza-send.1.gz -a \
    -s /usr/share/man/man5/credenza.conf.5.gz
check "the Italian man pages are installed under it/" test -s /usr/share/man/it/man1/credenza-import.1.gz -a \
    -s /usr/share/man/it/man1/credenza.1.gz
check "the bash completion is installed" test -s /usr/share/bash-completion/completions/credenza
check "the copyright file is installed" test -s /usr/share/doc/credenza/copyright
check "the secretariat's guide is installed" test -s /usr/share/doc/credenza/guida-segreteria.md
units=(/lib/systemd/system/credenza-send.service /lib/systemd/system/credenza-send.timer
    /lib/systemd/system/credenza-backup.service /lib/systemd/system/credenza-backup.timer)
check "the systemd units are installed" ls "${units[@]}"
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify passes on the units" systemd-analyze verify --man=no "${units[@]}"
fi
check "the timers are enabled (they wait for the database)" \
    test -L /etc/systemd/system/timers.target.wants/credenza-send.timer
check "credenza --version runs" bash -c '/usr/bin/credenza --version | grep -q "^credenza "'

# The admin's first steps, as the README tells them: init as the credenza user, then SMTP.
as_credenza init --school-code 87004020589 --school-name "ITIS Vallauri" \
    --portal-url "https://registrofamiglie.axioscloud.it/?Customer_ID=87004020589" \
    --mail-from segreteria@itisvallauri.edu.it --domain itisvallauri.edu.it >"$WORK/init.log" 2>&1 || true
check "init as the credenza user creates the database of the configuration" \
    test "$(mode_owner /var/lib/credenza/credenza.db 2>/dev/null)" = "600 credenza:credenza"
[ -e /var/lib/credenza/credenza.db ] || { cat "$WORK/init.log"; exit 1; }

SMTP_DIR=$WORK/smtp
mkdir -p "$SMTP_DIR"
/usr/bin/python3 "$SOURCE/scripts/smtp_test_server.py" --dir "$SMTP_DIR" >"$SMTP_DIR/server.out" 2>&1 &
SMTP_PID=$!
trap 'kill $SMTP_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$SMTP_DIR/port" ] && break; sleep 0.1; done
# url and tls only in [smtp]: [imap] has keys of the same names.
sed -i -e 's/^#transport = .*/transport = smtp/' \
    -e "/^\[smtp\]/,/^\[/ s|^#url = .*|url = smtp://127.0.0.1:$(cat "$SMTP_DIR/port")|" \
    -e '/^\[smtp\]/,/^\[/ s/^#tls = .*/tls = none/' /etc/credenza/credenza.conf

install -m 0644 "$SOURCE/tests/data/enrolment_2025.csv" "$WORK/enrolment.csv"
check "import as the credenza user" logged import as_credenza import "$WORK/enrolment.csv" --year 2025/2026
check "issue as the credenza user" logged issue as_credenza issue --kind family --class 1A
queued=$(sqlite3 -readonly /var/lib/credenza/credenza.db "SELECT count(*) FROM letter WHERE state = 'queued'")
as_credenza -q send >"$WORK/send.log" 2>&1 || true
check "send through the installed configuration delivers every queued letter ($queued)" \
    test "$(ls "$SMTP_DIR/messages" | wc -l)" -eq "$queued" -a "$queued" -gt 0
check "send under -q prints nothing when all went well" test ! -s "$WORK/send.log"

dpkg -r credenza >"$WORK/dpkg-remove.log" 2>&1
check "remove takes the command away" test ! -e /usr/bin/credenza
check "remove keeps the configuration the admin changed" grep -q '^transport = smtp' /etc/credenza/credenza.conf
check "remove keeps the school's database and key" test -s /var/lib/credenza/credenza.db -a \
    -s /var/lib/credenza/credenza.db.key

dpkg -i "$DEB" >"$WORK/dpkg-reinstall.log" 2>&1
check "a reinstall keeps the changed configuration" grep -q '^transport = smtp' /etc/credenza/credenza.conf
check "a reinstall finds the school again" bash -c \
    'cd /var/lib/credenza && runuser -u credenza -- /usr/bin/credenza report summary >/dev/null'

dpkg --purge credenza >"$WORK/dpkg-purge.log" 2>&1
check "purge removes /etc/credenza" test ! -e /etc/credenza
check "purge without consent keeps the school's database (debconf's default answer is no)" \
    test -s /var/lib/credenza/credenza.db
# What is left, file by file, in the overlays: only what credenza(1) documents that purge keeps
# (the school's data, the system user), and the bookkeeping of dpkg, debconf and man-db.
left=$(cd "$WORK/overlay" && find etc/upper usr/upper var/upper \( -type f -o -type l \) | sed 's|/upper||' |
    grep -vE '^etc/((passwd|group|shadow|gshadow)-?|\.pwd\.lock)$' |
    grep -vE '^var/(lib/dpkg|cache/debconf|cache/man|cache/ldconfig|log)/' |
    grep -vE '^var/lib/credenza/' || true)
check "purge leaves nothing else behind" test -z "$left"
[ -z "$left" ] || printf 'left: %s\n' $left

# With the admin's consent (as debconf would ask), purge deletes the school's data too.
dpkg -i "$DEB" >"$WORK/dpkg-install2.log" 2>&1
echo "credenza credenza/purge-data boolean true" | debconf-set-selections
dpkg --purge credenza >"$WORK/dpkg-purge2.log" 2>&1
check "purge with consent deletes /var/lib/credenza and /var/backups/credenza" \
    test ! -e /var/lib/credenza -a ! -e /var/backups/credenza

kill "$SMTP_PID" 2>/dev/null || true
if [ "$FAILED" -ne 0 ]; then
    for log in "$WORK"/*.log; do echo "== $log"; cat "$log"; done
    exit 1
fi
echo "package: every check passed"
