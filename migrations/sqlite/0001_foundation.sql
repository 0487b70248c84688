-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the test `schema_parity` compares tables and columns of both.

CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    search_key      TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    block           TEXT    NOT NULL,
    parent_id       INTEGER REFERENCES units(id),
    headcount       INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'active',
    merged_into_id  INTEGER REFERENCES units(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX units_parent_idx ON units(parent_id);
CREATE INDEX units_status_idx ON units(status);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT    NOT NULL,
    search_key      TEXT    NOT NULL,
    email           TEXT    NOT NULL UNIQUE,
    phone           TEXT    UNIQUE,
    cccd            TEXT    UNIQUE,
    position        TEXT    NOT NULL DEFAULT '',
    unit_id         INTEGER REFERENCES units(id),
    password_hash   TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'active',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    last_login_at   INTEGER
);
CREATE INDEX users_unit_idx ON users(unit_id);

CREATE TABLE user_roles (
    user_id         INTEGER NOT NULL REFERENCES users(id),
    role            TEXT    NOT NULL,
    unit_id         INTEGER REFERENCES units(id),
    granted_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE login_throttle (
    throttle_key    TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL,
    window_start    INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE pending_imports (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    filename        TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    created_at      INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER REFERENCES users(id),
    action          TEXT    NOT NULL,
    entity          TEXT    NOT NULL,
    entity_id       INTEGER,
    detail          TEXT    NOT NULL DEFAULT '{}',
    at              INTEGER NOT NULL
);
CREATE INDEX audit_entity_idx ON audit_log(entity, entity_id);
