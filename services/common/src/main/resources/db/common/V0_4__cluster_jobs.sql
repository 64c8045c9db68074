-- Scheduled work that runs once per period in the whole cluster, not once per instance (services/common ClusterJobs,
-- ADR 0035): one row per job, claimed by the instance whose run comes first after the job's minimum gap.
create table cluster_job (
    job      varchar(100) primary key,
    last_run timestamptz  not null,
    owner    varchar(200) not null,
    runs     bigint       not null default 1
);
