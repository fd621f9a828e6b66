"""The tasks the worker runs (`ecogov db_worker`; docs/jobs.md). Each takes plain arguments
(the queue stores them as JSON) and hands over to the service that does the work."""

from django_tasks import task

from ecogov.core import jobs, schedule  # noqa: F401 (schedule: the scheduled jobs' runners)


@task()
def run_job(job_id: str) -> str:
    """A background job's work (an import, …): see ecogov.core.jobs.run_job."""
    return jobs.run_job(job_id)
