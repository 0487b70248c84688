-- Foundation schema (PostgreSQL). Keep in step with ../sqlite/0001_foundation.sql:
-- the test `schema_parity` compares tables and columns of both.

CREATE TABLE units (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    search_key      TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    block           TEXT    NOT NULL,
    parent_id       BIGINT  REFERENCES units(id),
    headcount       BIGINT  NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL DEFAULT 'active',
    merged_into_id  BIGINT  REFERENCES units(id),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX units_parent_idx ON units(parent_id);
CREATE INDEX units_status_idx ON units(status);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    full_name       TEXT    NOT NULL,
    search_key      TEXT    NOT NULL,
    email           TEXT    NOT NULL UNIQUE,
    phone           TEXT    UNIQUE,
    cccd            TEXT    UNIQUE,
    position        TEXT    NOT NULL DEFAULT '',
    unit_id         BIGINT  REFERENCES units(id),
    password_hash   TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'active',
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    last_login_at   BIGINT
);
CREATE INDEX users_unit_idx ON users(unit_id);

CREATE TABLE user_roles (
    user_id         BIGINT  NOT NULL REFERENCES users(id),
    role            TEXT    NOT NULL,
    unit_id         BIGINT  REFERENCES units(id),
    granted_at      BIGINT  NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE login_throttle (
    throttle_key    TEXT    PRIMARY KEY,
    failures        BIGINT  NOT NULL,
    window_start    BIGINT  NOT NULL,
    locked_until    BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE pending_imports (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    user_id         BIGINT  NOT NULL REFERENCES users(id),
    filename        TEXT    NOT NULL,
    content         BYTEA   NOT NULL,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    actor_id        BIGINT  REFERENCES users(id),
    action          TEXT    NOT NULL,
    entity          TEXT    NOT NULL,
    entity_id       BIGINT,
    detail          TEXT    NOT NULL DEFAULT '{}',
    at              BIGINT  NOT NULL
);
CREATE INDEX audit_entity_idx ON audit_log(entity, entity_id);
