#!/bin/sh
# docker-entrypoint-initdb.d: the roles of init-roles.sql, then hub_app's password.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f /docker-entrypoint-initdb.d/roles/init-roles.sql
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$HUB_APP_PASSWORD" <<'SQL'
ALTER ROLE hub_app PASSWORD :'pw';
SQL
