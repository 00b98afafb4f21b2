"""ECS answers as AWS documents them, where moto differs and Deckhand relies on it.

Each fix names the AWS behaviour it reproduces; emulator/src/test/java/.../EcsFidelityTest pins it.
"""
import sys

from moto.ecs.exceptions import ClusterNotFoundException, InvalidParameterException, ServiceNotFoundException
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import DESCRIBE_TASKS_TAGS, EC2ContainerServiceResponse
from moto.core.responses import ActionResult
from moto.moto_api import state_manager

from . import ecs_task_phases
from .cluster_query import compile_filter
from .paging import page

# AWS: ListContainerInstances without `status` lists every status except INACTIVE.
_LISTED_BY_DEFAULT = {"ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"}


def _cluster(backend, cluster_str):
    name = (cluster_str or "default").split("/")[-1]
    if name not in backend.clusters or backend.clusters[name].status == "INACTIVE":
        raise ClusterNotFoundException
    return backend.clusters[name]


def _get_cluster(self, name):
    """AWS: a deleted cluster is INACTIVE, "might remain discoverable" (DescribeClusters) but is not to
    be relied on (DeleteCluster); calls naming it answer ClusterNotFoundException ("The specified
    cluster wasn't found"). moto kept acting on it. DescribeClusters does not come through here."""
    return _cluster(self, name)


def list_container_instances(self):
    """AWS honours `filter` (cluster query language), `status`, `maxResults` (1-100) and `nextToken`.
    moto ignored all four and listed every instance."""
    backend = self.ecs_backend
    cluster = _cluster(backend, self._get_param("cluster"))
    status = self._get_param("status")
    text = self._get_param("filter")
    instances = list(backend.container_instances.get(cluster.name, {}).values())
    if status:
        instances = [ci for ci in instances if ci.status == status]
    else:
        instances = [ci for ci in instances if ci.status in _LISTED_BY_DEFAULT]
    if text:
        predicate = compile_filter(text)
        instances = [ci for ci in instances if predicate(ci)]
    arns = [ci.container_instance_arn for ci in instances]
    chunk, token = page(arns, self._get_param("maxResults"), self._get_param("nextToken"))
    result = {"containerInstanceArns": chunk}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


def list_clusters(self):
    """AWS pages ListClusters by `maxResults` (1-100, default 100) with `nextToken`, and lists existing
    clusters only (not deleted, INACTIVE ones); moto listed all."""
    arns = [cluster.arn for cluster in self.ecs_backend.clusters.values() if cluster.status != "INACTIVE"]
    chunk, token = page(arns, self._get_param("maxResults"), self._get_param("nextToken"))
    result = {"clusterArns": chunk}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


def list_services(self):
    """AWS lists the named cluster's services only, paged by `maxResults` (1-100, default 10) with
    `nextToken`. moto listed all at once, and matched the cluster name as a substring (`web` listed
    `demo-web`'s services)."""
    backend = self.ecs_backend
    cluster = _cluster(backend, self._get_param("cluster"))
    strategy = self._get_param("schedulingStrategy")
    launch_type = self._get_param("launchType")
    arns = [service.arn for service in backend.services.values()
            if service.cluster_name == cluster.name
            and (strategy is None or service.scheduling_strategy == strategy)
            and (launch_type is None or service.launch_type == launch_type)]
    chunk, token = page(arns, self._get_param("maxResults") or 10, self._get_param("nextToken"))
    result = {"serviceArns": chunk}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


def describe_services(self):
    """AWS describes at most 10 services per call."""
    if len(self._get_param("services") or []) > 10:
        raise InvalidParameterException("services can have at most 10 items.")
    return _original["describe_services"](self)


def describe_container_instances(self):
    """AWS describes at most 100 container instances per call, in the named cluster only."""
    refs = self._get_param("containerInstances") or []
    if len(refs) > 100:
        raise InvalidParameterException("containerInstances can have at most 100 items.")
    return _original["describe_container_instances"](self)


def update_container_instances_state(self):
    """AWS changes at most 10 container instances per call."""
    refs = self._get_param("containerInstances") or []
    if len(refs) > 10:
        raise InvalidParameterException("containerInstances can have at most 10 items.")
    return _original["update_container_instances_state"](self)


def list_tasks(self):
    """AWS lists the named cluster's tasks only, with desired status RUNNING unless `desiredStatus`
    says otherwise, filters by `serviceName` (one that does not exist: ServiceNotFoundException) and
    exact `containerInstance`, and pages by 100.
    moto listed every cluster's tasks in every state, matched instances by substring, ignored
    `serviceName`, and never paged."""
    backend = self.ecs_backend
    cluster = _cluster(backend, self._get_param("cluster"))
    tasks = list(backend.tasks.get(cluster.name, {}).values())
    desired = self._get_param("desiredStatus") or "RUNNING"
    tasks = [t for t in tasks if t.desired_status == desired]
    instance = self._get_param("containerInstance")
    if instance:
        instance_id = instance.split("/")[-1]
        tasks = [t for t in tasks if (t.container_instance_arn or "").split("/")[-1] == instance_id]
    service = self._get_param("serviceName")
    if service:
        name = service.split("/")[-1]
        # AWS: a serviceName that names no service of the cluster is ServiceNotFoundException (ListTasks, Errors).
        if not any(s.cluster_name == cluster.name and s.name == name for s in backend.services.values()):
            raise ServiceNotFoundException
        tasks = [t for t in tasks if t.group == "service:" + name]
    started_by = self._get_param("startedBy")
    if started_by:
        tasks = [t for t in tasks if t.started_by == started_by]
    family = self._get_param("family")
    if family:
        tasks = [t for t in tasks if t.task_definition_arn.split("/")[-1].split(":")[0] == family]
    launch_type = self._get_param("launchType")
    if launch_type:
        tasks = [t for t in tasks if (t.launch_type or "EC2") == launch_type]
    arns = [t.task_arn for t in tasks]
    chunk, token = page(arns, self._get_param("maxResults"), self._get_param("nextToken"))
    result = {"taskArns": chunk}
    if token:
        result["nextToken"] = token
    return ActionResult(result)


def describe_tasks(self):
    """AWS describes at most 100 tasks per call, of the named cluster only, reports the others as
    MISSING failures, and does not change a task's status by describing it (moto advanced each
    described task one lifecycle step; see the transition pinned in apply())."""
    backend = self.ecs_backend
    cluster = _cluster(backend, self._get_param("cluster"))
    refs = self._get_param("tasks") or []
    if not refs:
        raise InvalidParameterException("Tasks cannot be empty.")
    if len(refs) > 100:
        raise InvalidParameterException("tasks can have at most 100 items.")
    by_id = {arn.split("/")[-1]: task for arn, task in backend.tasks.get(cluster.name, {}).items()}
    found, failures = [], []
    for ref in refs:
        task = by_id.get(ref.split("/")[-1])
        if task is None:
            failures.append({"arn": ref, "reason": "MISSING"})
        else:
            ecs_task_phases.progress(task)
            found.append(task)
    if "TAGS" in (self._get_param("include") or []):
        self._include_in_response(DESCRIBE_TASKS_TAGS)
    else:
        self._exclude_from_response(DESCRIBE_TASKS_TAGS)
    return ActionResult({"tasks": found, "failures": failures})


def stop_task(self, cluster_str, task_str, reason):
    """AWS: stopping an unknown task is an InvalidParameterException; stopping a task already
    stopped (or stopping) changes nothing. moto raised a bare 500 and released the task's resources
    twice. A stopped task passes through DEACTIVATING and STOPPING first (ecs_task_phases)."""
    cluster = _cluster(self, cluster_str)
    task_id = task_str.split("/")[-1]
    for arn, task in self.tasks.get(cluster.name, {}).items():
        if arn.split("/")[-1] == task_id:
            if task.desired_status == "STOPPED":
                return task
            stopped = _original["stop_task"](self, cluster_str, task_str, reason)
            stopped.stop_code = "UserInitiated"
            ecs_task_phases.begin(self, stopped)
            return stopped
    raise InvalidParameterException("The referenced task was not found.")


_original = {}


def apply():
    _original["describe_container_instances"] = EC2ContainerServiceResponse.describe_container_instances
    _original["update_container_instances_state"] = EC2ContainerServiceResponse.update_container_instances_state
    _original["stop_task"] = EC2ContainerServiceBackend.stop_task
    EC2ContainerServiceResponse.list_clusters = list_clusters
    _original["describe_services"] = EC2ContainerServiceResponse.describe_services
    EC2ContainerServiceResponse.list_services = list_services
    EC2ContainerServiceResponse.describe_services = describe_services
    EC2ContainerServiceResponse.list_container_instances = list_container_instances
    EC2ContainerServiceResponse.describe_container_instances = describe_container_instances
    EC2ContainerServiceResponse.update_container_instances_state = update_container_instances_state
    EC2ContainerServiceResponse.list_tasks = list_tasks
    EC2ContainerServiceResponse.describe_tasks = describe_tasks
    EC2ContainerServiceBackend.stop_task = stop_task
    EC2ContainerServiceBackend._get_cluster = _get_cluster
    # A task's status changes only through the API (RunTask, StopTask) or the local scheduler, as
    # on AWS, never because somebody described it.
    state_manager.register_default_transition(
        "ecs::task", {"progression": "manual", "times": sys.maxsize}
    )
