#!/usr/bin/env bash
# Makes sure the local Postgres answers and that the console's database exists.
# Only touches a server on this machine; a remote DATABASE_URL is left alone.
set -euo pipefail

url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dashboard?sslmode=disable}"
case "$url" in
  *@127.0.0.1:*|*@localhost:*|*@127.0.0.1/*|*@localhost/*) ;;
  *) echo "DATABASE_URL is not local; not starting Postgres"; exit 0 ;;
esac

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  else
    echo "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is not installed." >&2
    echo "Install it (apt-get install -y postgresql) or set DATABASE_URL." >&2
    exit 1
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

db=$(printf '%s' "$url" | sed -E 's#^[a-z]+://[^/]+/([^?]+).*#\1#')
admin=$(printf '%s' "$url" | sed -E 's#^([a-z]+://[^/]+)/[^?]*#\1/postgres#')
if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
  echo "creating database $db"
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi
