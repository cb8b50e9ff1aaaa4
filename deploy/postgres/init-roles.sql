-- Run once by the PostgreSQL image on a new data directory (docker-entrypoint-initdb.d), as the
-- owner role POSTGRES_USER (hub_owner). Two roles: hub_owner owns the schema and runs the
-- migrations; hub_app, which the hub and the worker use, can read and write rows but change no
-- table. The password of hub_app is set from HUB_APP_PASSWORD by init-roles.sh.
CREATE ROLE hub_app LOGIN;
CREATE SCHEMA IF NOT EXISTS drizzle AUTHORIZATION hub_owner;
GRANT USAGE ON SCHEMA public, drizzle TO hub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE hub_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hub_app;
ALTER DEFAULT PRIVILEGES FOR ROLE hub_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO hub_app;
-- The hub checks which migrations are applied; it never applies them.
ALTER DEFAULT PRIVILEGES FOR ROLE hub_owner IN SCHEMA drizzle GRANT SELECT ON TABLES TO hub_app;
