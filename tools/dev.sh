#!/usr/bin/env bash
# Set-up and entry points for developers and CI. Idempotent, never asks a question.
#   tools/dev.sh demo   set up what is missing, start Odoo with the addons and demo data
#   tools/dev.sh test   set up what is missing, lint, run every test
#   tools/dev.sh env    set up only (Odoo, PostgreSQL, Chromium, config)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOCAL="$ROOT/.local"
PY=${PYTHON:-python3}
ADDONS="telecoop_membership,telecoop_mobile_billing,telecoop_agm"
PRIVATE_PGPORT=${TELECOOP_PGPORT:-54329}
DEMO_DB=${TELECOOP_DEMO_DB:-telecoop_demo}
TEST_DB=${TELECOOP_TEST_DB:-telecoop_test}
HTTP_PORT=${TELECOOP_HTTP_PORT:-8069}
# The websocket (gevent) server of `--workers N`: Odoo's 8072 beside 8069, else its own port.
GEVENT_PORT=${TELECOOP_GEVENT_PORT:-$((HTTP_PORT == 8069 ? 8072 : HTTP_PORT + 1000))}
mkdir -p "$LOCAL"

say() { printf '\033[1m[telecoop]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[telecoop] %s\033[0m\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else return 1; fi; }

apt_install() {
    # Debian packages, only when we are root (never sudo behind the user's back).
    as_root true || die "Missing system packages: $*. Install them (as root: apt-get install $*) and run again."
    if [ ! -f "$LOCAL/.apt-updated" ]; then
        apt-get update -qq >&2 && touch "$LOCAL/.apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_odoo() {
    if $PY -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' 2>/dev/null; then
        return
    fi
    local src=${ODOO_SRC:-}
    if [ -z "$src" ] && [ -n "${ODOO_SOURCE_URL:-https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz}" ] \
        && [ "${TELECOOP_OFFLINE:-}" != 1 ]; then
        local url=${ODOO_SOURCE_URL:-https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz}
        say "Odoo 19.0 is not importable; trying Odoo's official source archive $url"
        if curl -fsSL --connect-timeout 20 --max-time 900 "$url" -o "$LOCAL/odoo-src.tar.gz" 2>/dev/null; then
            rm -rf "$LOCAL/odoo-src" && mkdir -p "$LOCAL/odoo-src"
            tar -xzf "$LOCAL/odoo-src.tar.gz" -C "$LOCAL/odoo-src" --strip-components=1
            src="$LOCAL/odoo-src"
        fi
    fi
    [ -n "$src" ] && [ -f "$src/odoo/release.py" ] || die "Odoo 19.0 Community is not importable by $PY.
Either install it in this Python, or set ODOO_SRC to a folder holding an Odoo 19.0
Community source (with odoo/release.py and requirements.txt) and run again."
    say "Installing Odoo 19.0 from $src into $PY"
    if ! dpkg -s libldap2-dev libsasl2-dev libpq-dev >/dev/null 2>&1; then
        apt_install libldap2-dev libsasl2-dev libpq-dev
    fi
    $PY -m pip install -q -r "$src/requirements.txt" > "$LOCAL/pip-odoo.log" 2>&1 \
        || { tail -30 "$LOCAL/pip-odoo.log"; die "Installing Odoo's requirements failed"; }
    $PY -m pip install -q --no-deps -e "$src" >> "$LOCAL/pip-odoo.log" 2>&1
    $PY -c 'import odoo.release' || die "Odoo was installed from $src but still does not import."
}

ensure_python_deps() {
    local stamp="$LOCAL/.requirements.$(md5sum "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" | md5sum | cut -c1-12)"
    [ -f "$stamp" ] && return
    say "Installing Python requirements (OCA addons, test and lint tools)"
    $PY -m pip install -q -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
        > "$LOCAL/pip.log" 2>&1 || { tail -30 "$LOCAL/pip.log"; die "pip install failed (log: $LOCAL/pip.log)"; }
    touch "$stamp"
}

ensure_system_tools() {
    local missing=()
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    # wkhtmltopdf embeds fonts installed on the system as real fonts (a text layer).
    fc-list 2>/dev/null | grep -q DejaVuSans || missing+=(fonts-dejavu-core)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${missing[*]} (tours, PDF reports and their tests need them)"
        apt_install "${missing[@]}"
    fi
}

pg_answers() { pg_isready -q -h "$1" -p "$2" >/dev/null 2>&1; }

ensure_postgres() {
    # 1. A server given by the usual PG* variables.
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && pg_answers "${PGHOST:-127.0.0.1}" "${PGPORT:-5432}"; then
        DB_HOST=${PGHOST:-127.0.0.1}; DB_PORT=${PGPORT:-5432}
        DB_USER=${PGUSER:-$(id -un)}; DB_PASSWORD=${PGPASSWORD:-}
        say "Using the PostgreSQL server at $DB_HOST:$DB_PORT as $DB_USER"
        return
    fi
    # 2. A private cluster under .local/, run by a non-root user, on 127.0.0.1 only.
    local bindir
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$bindir" ]; then
        apt_install postgresql
        bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    local data="$LOCAL/pgdata" run=() owner
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
        owner=postgres; run=(runuser -u postgres --)
    else
        owner=$(id -un)
    fi
    DB_HOST=127.0.0.1; DB_PORT=$PRIVATE_PGPORT; DB_USER=odoo; DB_PASSWORD=odoo
    if pg_answers 127.0.0.1 "$DB_PORT"; then return; fi
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating a private PostgreSQL cluster in $data (user $owner, 127.0.0.1:$DB_PORT)"
        mkdir -p "$data" && chown "$owner" "$data" && chmod 700 "$data"
        # Every folder above must be traversable by the cluster's owner.
        local d="$LOCAL"; while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
        local pw="$LOCAL/pg-superuser-password"
        ( umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pw" ); chown "$owner" "$pw"
        "${run[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=scram-sha-256 --pwfile="$pw" \
            -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $DB_PORT
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
CONF
        printf 'host all all 127.0.0.1/32 scram-sha-256\n' > "$data/pg_hba.conf"
    fi
    say "Starting the private PostgreSQL cluster on 127.0.0.1:$DB_PORT"
    "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null
    PGPASSWORD=$(cat "$LOCAL/pg-superuser-password") psql -h 127.0.0.1 -p "$DB_PORT" -U postgres \
        -d postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 || \
        PGPASSWORD=$(cat "$LOCAL/pg-superuser-password") psql -h 127.0.0.1 -p "$DB_PORT" -U postgres \
        -d postgres -qc "CREATE ROLE odoo LOGIN CREATEDB PASSWORD 'odoo'" >/dev/null
}

odoo_addons_path() {
    $PY - "$ROOT" <<'PYEOF'
import os, sys
import odoo.release
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__)))
paths = [p for p in (os.path.join(root, "addons"), sys.argv[1]) if os.path.isdir(p)]
print(",".join(paths))
PYEOF
}

write_config() {
    CONF="$LOCAL/odoo.conf"
    cat > "$CONF" <<CONF
[options]
addons_path = $(odoo_addons_path)
data_dir = $LOCAL/data
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
http_port = $HTTP_PORT
gevent_port = $GEVENT_PORT
list_db = False
max_cron_threads = 1
server_wide_modules = base,web,queue_job
CONF
    export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD
}

setup_env() {
    ensure_odoo
    ensure_python_deps
    ensure_system_tools
    ensure_postgres
    write_config
}

odoo_bin() { $PY -m odoo "$@"; }

db_exists() { psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

cmd_demo() {
    setup_env
    if ! db_exists "$DEMO_DB"; then
        say "Creating the demo database $DEMO_DB (the three addons with demo data)"
        odoo_bin -c "$CONF" -d "$DEMO_DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn
    else
        odoo_bin -c "$CONF" -d "$DEMO_DB" -u "$ADDONS" --stop-after-init --log-level=warn
    fi
    say "Odoo runs on http://127.0.0.1:$HTTP_PORT  (staff: admin / admin, member: portal / portal)"
    exec $PY -m odoo -c "$CONF" -d "$DEMO_DB" --db-filter="^$DEMO_DB\$"
}

cmd_lint() {
    say "Lint: ruff, ruff format --check, pylint-odoo, French translations"
    (cd "$ROOT" && $PY -m ruff check . && $PY -m ruff format --check .)
    (cd "$ROOT" && $PY -m pylint --rcfile=.pylintrc telecoop_membership telecoop_mobile_billing telecoop_agm)
    $PY "$ROOT/tools/i18n.py" check
}

cmd_test() {
    setup_env
    cmd_lint
    say "Fresh test database $TEST_DB"
    dropdb --if-exists "$TEST_DB"
    local log="$LOCAL/install-$TEST_DB.log"
    odoo_bin -c "$CONF" -d "$TEST_DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn > "$log" 2>&1 \
        || { tail -50 "$log"; die "Installing the addons in $TEST_DB failed (full log: $log)"; }
    if grep -E " (ERROR|CRITICAL) " "$log" >/dev/null; then
        grep -E -A15 " (ERROR|CRITICAL) " "$log" | head -80; die "Errors while installing the addons in $TEST_DB"
    fi
    say "French translations of every term the code has now (exported afresh from $TEST_DB)"
    $PY "$ROOT/tools/i18n.py" check --db "$TEST_DB" 2> "$LOCAL/i18n-check.log" \
        || die "Terms of the code without French (export with tools/i18n.py export, log: $LOCAL/i18n-check.log)"
    say "pytest-odoo on $TEST_DB"
    (cd "$ROOT" && $PY -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$TEST_DB" \
        --odoo-http --durations=15 "${@:-.}")
    say "Proxies given at the same instant over HTTP to a running server (on a copy of $TEST_DB)"
    dropdb --if-exists "${TEST_DB}_race"
    createdb -T "$TEST_DB" "${TEST_DB}_race"
    local race_log="$LOCAL/proxy-race.log"
    $PY "$ROOT/bench/check_agm_proxy_race_http.py" -c "$CONF" -d "${TEST_DB}_race" \
        --givers 4 --port "$((HTTP_PORT + 31))" > "$race_log" 2>&1 \
        || { tail -20 "$race_log"; die "The proxy cap did not hold under concurrent HTTP requests (log: $race_log)"; }
    grep "proxies posted at once" "$race_log" >&2
    dropdb --if-exists "${TEST_DB}_race"
    say "A register import committing per chunk, killed twice, resumed (on a copy of $TEST_DB)"
    dropdb --if-exists "${TEST_DB}_resume"
    createdb -T "$TEST_DB" "${TEST_DB}_resume"
    local resume_log="$LOCAL/import-resume.log"
    $PY "$ROOT/bench/check_register_import_resume.py" -c "$CONF" -d "${TEST_DB}_resume" \
        > "$resume_log" 2>&1 \
        || { grep -v " INFO \| WARNING " "$resume_log" | tail -30; die "The resumed register import differs from a one-shot run (log: $resume_log)"; }
    grep "killed twice, resumed" "$resume_log" >&2
    dropdb --if-exists "${TEST_DB}_resume"
    say "Install without demo data, then uninstall each addon; beside it, the demo installed whole with the clock frozen on a 1st and on a 31st, its story checked"
    # three installs side by side on fresh databases: they share only the cluster
    local install_log="$LOCAL/check-install.log"
    $PY "$ROOT/tools/check_install.py" --config "$CONF" --db "${TEST_DB}_install" > "$install_log" 2>&1 &
    local install_pid=$!
    local dates_rc=0
    $PY "$ROOT/tools/check_demo_dates.py" --config "$CONF" --db "${TEST_DB}_demo_dates" || dates_rc=$?
    wait "$install_pid" || { tail -40 "$install_log"; die "Installing without demo data or uninstalling failed (log: $install_log)"; }
    cat "$install_log" >&2
    [ "$dates_rc" = 0 ] || die "The demo installed under a frozen clock does not hold its story"
}

case "${1:-}" in
    demo) cmd_demo ;;
    test) shift; cmd_test "$@" ;;
    lint) cmd_lint ;;
    env) setup_env; say "Ready: config in $CONF" ;;
    *) echo "usage: tools/dev.sh demo|test [pytest args]|lint|env" >&2; exit 2 ;;
esac
