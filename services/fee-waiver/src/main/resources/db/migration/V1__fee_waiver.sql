-- Direct fee waiver. Personal data (PIPL): an ID number is never stored in clear, only as an HMAC-SHA256 lookup
-- hash (*_hash, 64 hex) and an AES-256-GCM ciphertext (*_enc) for authorised display; names only encrypted.

-- A donor, known by the hash of the ID number (from the station's donor system or POST /donations).
create table donor (
    id          bigserial    primary key,
    ref         varchar(20)  not null unique,
    id_hash     char(64)     not null unique,
    id_enc      text,
    name_enc    text,
    created_at  timestamptz  not null default now()
);

create table donation (
    donation_id  varchar(40)  primary key,
    donor_id     bigint       not null references donor (id),
    donated_at   timestamptz  not null,
    kind         varchar(24)  not null,
    volume_ml    integer      check (volume_ml > 0),
    doses        integer      check (doses > 0),
    rhd_negative boolean      not null,
    source       varchar(10)  not null,
    recorded_by  varchar(100) not null,
    recorded_at  timestamptz  not null default now()
);
create index donation_donor on donation (donor_id, donated_at);

-- A relative of a donor, with the evidence of the relation.
create table donor_relation (
    id            uuid         primary key,
    donor_id      bigint       not null references donor (id),
    relative_hash char(64)     not null,
    relative_enc  text         not null,
    relation      varchar(16)  not null,
    evidence_ref  varchar(200) not null,
    created_by    varchar(100) not null,
    created_at    timestamptz  not null default now(),
    constraint donor_relation_pair unique (donor_id, relative_hash)
);
create index donor_relation_relative on donor_relation (relative_hash);

-- A waiver claimed at a hospital's billing window: one per hospital and bill.
create table waiver (
    seq                    bigserial     primary key,
    id                     uuid          not null unique,
    hospital_id            varchar(10)   not null,
    bill_no                varchar(64)   not null,
    request_hash           char(64)      not null,
    patient_hash           char(64)      not null,
    patient_id_enc         text          not null,
    patient_name_enc       text          not null,
    rule_set               varchar(40)   not null,
    bill_total_yuan        numeric(12,2) not null check (bill_total_yuan >= 0),
    insurance_covered_yuan numeric(12,2) not null check (insurance_covered_yuan >= 0),
    waived_yuan            numeric(12,2) not null check (waived_yuan > 0),
    patient_pays_yuan      numeric(12,2) not null check (patient_pays_yuan >= 0),
    status                 varchar(10)   not null,
    claimed_at             timestamptz   not null,
    claim_month            char(7)       not null,
    claimed_by             varchar(100)  not null,
    reversed_at            timestamptz,
    reversal_month         char(7),
    reversed_by            varchar(100),
    reversal_reason        varchar(500),
    constraint waiver_bill unique (hospital_id, bill_no)
);
create index waiver_hospital_month on waiver (hospital_id, claim_month, seq);
create index waiver_month on waiver (claim_month, seq);
create index waiver_reversal_month on waiver (hospital_id, reversal_month) where reversal_month is not null;

-- What a waiver took from each pool (a donor's SELF pool or the pool shared by the donor's relatives).
create table waiver_draw (
    waiver_id   uuid          not null references waiver (id),
    line        integer       not null,
    donor_id    bigint        not null references donor (id),
    pool        varchar(10)   not null,
    relation    varchar(16),
    amount_yuan numeric(12,2) not null check (amount_yuan > 0),
    amount_ml   numeric(12,2) not null check (amount_ml >= 0),
    primary key (waiver_id, line)
);
create index waiver_draw_donor on waiver_draw (donor_id, pool);

-- A hospital's month, closed once: what the station pays back.
create table settlement (
    hospital_id       varchar(10)   not null,
    month             char(7)       not null,
    claims            integer       not null,
    reversals         integer       not null,
    total_waived_yuan numeric(12,2) not null,
    closed_at         timestamptz   not null,
    closed_by         varchar(100)  not null,
    primary key (hospital_id, month)
);
