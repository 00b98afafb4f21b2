"""A stopped task passes through ECS's stopping phases on the emulator's clock; moto stopped it at once.

AWS behaviour reproduced (Amazon ECS Developer Guide, "Amazon ECS task lifecycle",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html, and
"Draining Amazon ECS container instances",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html):
  - a task asked to stop (StopTask, or ECS's service scheduler replacing a task on a DRAINING
    instance) has desiredStatus STOPPED at once, so it leaves ListTasks' default listing (desired
    RUNNING) and the container instance's runningTasksCount ("tasks ... that have a desired status
    of RUNNING", API Reference, ContainerInstance);
  - its lastStatus is DEACTIVATING while a service with Elastic Load Balancing target groups waits
    for the targets to deregister: the target group's `deregistration_delay.timeout_seconds`
    (default 300 s; the longest of the service's target groups; a target group the emulator does
    not know counts as the default);
  - then STOPPING (`stoppingAt`): the agent sends SIGTERM and kills the containers after their
    `stopTimeout` (the longest of the task's containers; default 30 s, API Reference,
    ContainerDefinition). The model takes the whole stopTimeout: a container that exits on SIGTERM
    sooner is not modelled;
  - then STOPPED (`stoppedAt`, `executionStoppedAt`). DEPROVISIONING (awsvpc network interfaces) takes
    no time here.
Time is the emulator's clock (clock.py): the lastStatus follows it whenever a task is described.
The control API `ecs/task` with lastStatus STOPPED still stops a task at once (its instance went away).
"""
from datetime import datetime, timezone

from moto.core import DEFAULT_ACCOUNT_ID

from . import clock

DEFAULT_STOP_TIMEOUT = 30
DEFAULT_DEREGISTRATION_DELAY = 300


def _deregistration_delay(backend, task):
    """The longest deregistration delay of the target groups of the task's service, None without any."""
    group = task.group or ""
    if not group.startswith("service:"):
        return None
    name = group[len("service:"):]
    service = next((s for s in backend.services.values() if s.cluster_name == task.cluster_name and s.name == name), None)
    arns = [lb.get("targetGroupArn") for lb in (getattr(service, "load_balancers", None) or []) if lb.get("targetGroupArn")]
    if not arns:
        return None
    from moto.elbv2.models import elbv2_backends
    target_groups = elbv2_backends[getattr(backend, "account_id", DEFAULT_ACCOUNT_ID)][backend.region_name].target_groups
    delays = []
    for arn in arns:
        target_group = target_groups.get(arn)
        value = target_group.attributes.get("deregistration_delay.timeout_seconds") if target_group else None
        delays.append(int(value) if value is not None else DEFAULT_DEREGISTRATION_DELAY)
    return max(delays)


def _stop_timeout(backend, task):
    try:
        definition = backend.describe_task_definition(task.task_definition_arn)
    except Exception:  # a deregistered or unknown definition: the agent's default applies
        return DEFAULT_STOP_TIMEOUT
    timeouts = [c.get("stopTimeout") for c in definition.container_definitions if c.get("stopTimeout") is not None]
    return max(timeouts) if timeouts else DEFAULT_STOP_TIMEOUT


def _at(seconds):
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def begin(backend, task):
    """The task was asked to stop now (its desiredStatus is already STOPPED): plan its phases."""
    now = clock.now()
    phases = []
    at = now
    delay = _deregistration_delay(backend, task)
    if delay is not None:
        phases.append(("DEACTIVATING", at))
        at += delay
    phases.append(("STOPPING", at))
    at += _stop_timeout(backend, task)
    task.deckhand_phases = phases
    task.deckhand_stopped_by = at
    task.stopped_at = None
    task.execution_stopped_at = None
    progress(task)


def stop_now(task):
    """The task stopped at once (its instance went away): no phase is left."""
    task.deckhand_phases = None


def progress(task):
    """Brings the task's lastStatus to what the emulator's clock says."""
    phases = getattr(task, "deckhand_phases", None)
    if not phases:
        return
    now = clock.now()
    if now >= task.deckhand_stopped_by:
        task.last_status = "STOPPED"
        task.stopped_at = _at(task.deckhand_stopped_by)
        task.execution_stopped_at = task.stopped_at
        task.deckhand_phases = None
        return
    for status, since in phases:
        if since <= now:
            task.last_status = status
            if status == "STOPPING":
                task.stopping_at = _at(since)
