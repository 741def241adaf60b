-- Dialogs that survive a restart: one row per answered dialog. Scalar columns are what an
-- operator queries (call_id, state, expires_ms); the legs, values, flags and profile slots are
-- JSON text, read back whole. Times are epoch milliseconds, so SQLite and PostgreSQL agree.
CREATE TABLE sipedge_dialogs (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    call_id         VARCHAR(255) NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    invite_cseq     BIGINT       NOT NULL,
    start_ms        BIGINT       NOT NULL,
    answer_ms       BIGINT       NOT NULL,
    expires_ms      BIGINT       NOT NULL,
    lifetime_ms     BIGINT       NOT NULL,
    bye_on_timeout  SMALLINT     NOT NULL,
    ping_caller     VARCHAR(16)  NOT NULL,
    ping_callee     VARCHAR(16)  NOT NULL,
    caller_leg      TEXT         NOT NULL,
    callee_leg      TEXT         NOT NULL,
    dialog_values   TEXT         NOT NULL,
    flags           TEXT         NOT NULL,
    profiles        TEXT         NOT NULL,
    updated_ms      BIGINT       NOT NULL
);

CREATE INDEX sipedge_dialogs_call_id ON sipedge_dialogs (call_id);
