# credenza.conf validated at load: every key known (the closest one suggested), every value in
# range, the sender with or without a display name, TLS and URLs that never leak a password.

# conf LINES...: ./credenza.conf with these lines, used by the commands that follow.
conf() {
    printf '%s\n' "$@" >credenza.conf
    export CREDENZA_CONFIG=$WORK/credenza.conf
}

TEST "an unknown key is a configuration error naming the file, the line and the closest known key"
conf '[smtp]' 'url = smtp://127.0.0.1:2525' 'timeout_second = 5'
credenza report summary
expect_status 78
expect_err "credenza.conf:3: unknown key 'smtp.timeout_second': did you mean 'smtp.timeout_seconds'?"
[ ! -e credenza.db ] || fail "a database was created"

TEST "a key in the wrong section is found by its name"
conf '[mail]' 'ca_file = /etc/ssl/ca.pem'
credenza report summary
expect_status 78
expect_err "credenza.conf:2: unknown key 'mail.ca_file': did you mean 'smtp.ca_file'?"

TEST "an unknown section is a configuration error with the closest known section"
conf '[stmp]' 'url = smtp://127.0.0.1:2525'
credenza report summary
expect_status 78
expect_err "credenza.conf:2: unknown section '[stmp]': did you mean '[smtp]'?"

TEST "a value out of range is a configuration error naming the file, the line and the key"
conf '[mail]' 'alert_after_hours = 9000'
credenza report summary
expect_status 78
expect_err "credenza.conf:2: bad value for 'mail.alert_after_hours': '9000' is out of range 0..8760"

TEST "[mail] from takes a display name, also in UTF-8; a malformed sender is refused at load with file, line and key"
init_school
printf '[mail]\nfrom = "Segreteria ITIS Vallauri <segreteria@itisvallauri.edu.it>"\n' >>credenza.conf
credenza report summary
expect_status 0
sed -i 's|^from = .*|from = Segreteria «Vallauri» Cuneo <segreteria@itisvallauri.edu.it>|' credenza.conf
credenza report summary
expect_status 0
sed -i 's|^from = .*|from = Segreteria <segreteria@>|' credenza.conf
credenza report summary
expect_status 78
expect_err "credenza.conf:5: bad value for 'mail.from'"
sed -i 's|^from = .*|from = Segreteria segreteria@itisvallauri.edu.it>|' credenza.conf
credenza report summary
expect_status 78
expect_err "credenza.conf:5: bad value for 'mail.from'"

TEST "tls = none is refused unless the server is on this machine and no password is set"
conf '[smtp]' 'url = smtp://mail.example.it:25' 'tls = none'
credenza report summary
expect_status 78
expect_err "credenza.conf:3: 'smtp.tls' = none"
expect_err "this machine"
conf '[smtp]' 'url = smtp://127.0.0.1:2525' 'tls = none' 'user = segreteria@example.it'
credenza report summary
expect_status 78
expect_err "password in clear"
conf '[smtp]' 'url = smtp://127.0.0.1:2525' 'tls = none'
CREDENZA_SMTP_PASSWORD=secret-in-env credenza report summary
expect_status 78
expect_no_err "secret-in-env"
conf '[smtp]' 'url = smtp://127.0.0.1:2525' 'tls = none'
credenza report summary
expect_status 66

TEST "a malformed [smtp] url is refused without echoing it or a password in it"
conf '[smtp]' 'url = smtp://segreteria:Pa55-in-url@mail.example.it:587'
credenza report summary
expect_status 78
expect_no_err "Pa55-in-url"
expect_err "credenza.conf:2: 'smtp.url' must not carry a user or password"
conf '[smtp]' 'url = htps://Pa55-in-url.example.it'
credenza report summary
expect_status 78
expect_no_err "Pa55-in-url"
expect_err "must start with 'smtp://' or 'smtps://'"
conf '[mail]' 'language = it'
CREDENZA_SMTP_URL='smtp://Pa55-in-env@x' credenza report summary
expect_status 78
expect_no_err "Pa55-in-env"
expect_err "CREDENZA_SMTP_URL"
