"""The tasks the worker runs (`ecogov db_worker`; docs/jobs.md). The one task, a job's work by
its id, is ecogov.core.jobs.run_job_task; this name stays for tasks queued under it before."""

from ecogov.core.jobs import run_job_task as run_job

__all__ = ["run_job"]
