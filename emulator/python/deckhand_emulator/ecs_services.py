"""ECS services as AWS documents them, where moto differs and Deckhand relies on it.

- CreateService / UpdateService keep `deploymentConfiguration` (defaults: REPLICA maximumPercent 200,
  minimumHealthyPercent 100; DAEMON 100 and 0), `placementStrategy` and `placementConstraints`.
- UpdateService with a new task definition or `forceNewDeployment` starts a new PRIMARY deployment
  (rolloutState IN_PROGRESS); the one it replaces becomes ACTIVE until the scheduler completes the
  rollout. moto changed the task definition in place.
- runningCount and pendingCount, of the service and of each deployment, count the service's tasks
  (group `service:NAME`, desired RUNNING). moto reported a fixed number.
- `availabilityZoneRebalancing`: CreateService defaults it to ENABLED; UpdateService without it keeps
  the service's value (API Reference, CreateService / UpdateService). moto dropped it.
- `capacityProviderStrategy` is kept and described (API Reference, Service). moto dropped it.
- The service's `events`, newest first, at most 100: ECS's scheduler writes them (e.g. its AZ
  rebalancing, developerguide/track-service-rebalancing.html); the control API `ecs/service-event`
  stands in for it.
"""
import copy

from moto.core.utils import utcnow
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.moto_api._internal import mock_random

_DEFAULTS = {
    "REPLICA": {"maximumPercent": 200, "minimumHealthyPercent": 100},
    "DAEMON": {"maximumPercent": 100, "minimumHealthyPercent": 0},
}


def new_deployment_id():
    return f"ecs-svc/{mock_random.randint(10**18, 10**19 - 1)}"


def refresh_counts(backend, service):
    """Recount a service's tasks into the service and each of its deployments."""
    tasks = [
        t for t in backend.tasks.get(service.cluster_name, {}).values()
        if t.group == "service:" + service.name and t.desired_status == "RUNNING"
    ]
    service.running_count = sum(1 for t in tasks if t.last_status == "RUNNING")
    service.pending_count = sum(1 for t in tasks if t.last_status in ("PENDING", "PROVISIONING", "ACTIVATING"))
    for deployment in service.deployments or []:
        mine = [t for t in tasks if t.started_by == deployment["id"]]
        deployment["runningCount"] = sum(1 for t in mine if t.last_status == "RUNNING")
        deployment["pendingCount"] = sum(1 for t in mine if t.last_status != "RUNNING")
        if deployment.get("status") == "PRIMARY":
            deployment["desiredCount"] = service.desired_count


def _configure(service, request):
    strategy = service.scheduling_strategy or "REPLICA"
    configuration = dict(_DEFAULTS.get(strategy, _DEFAULTS["REPLICA"]))
    configuration.update(getattr(service, "deployment_configuration", None) or {})
    configuration.update(request.get("deploymentConfiguration") or {})
    service.deployment_configuration = configuration
    if request.get("placementStrategy") is not None:
        service.placement_strategy = request["placementStrategy"]
    elif not hasattr(service, "placement_strategy"):
        service.placement_strategy = []
    if request.get("availabilityZoneRebalancing") is not None:
        service.availability_zone_rebalancing = request["availabilityZoneRebalancing"]
    elif getattr(service, "availability_zone_rebalancing", None) is None:
        # First configured by CreateService: ENABLED unless the request says otherwise.
        service.availability_zone_rebalancing = "ENABLED"
    if request.get("capacityProviderStrategy") is not None:
        service.capacity_provider_strategy = request["capacityProviderStrategy"]
    elif not hasattr(service, "capacity_provider_strategy"):
        service.capacity_provider_strategy = []
    if request.get("placementConstraints") is not None:
        service.placement_constraints = request["placementConstraints"]
    elif not hasattr(service, "placement_constraints"):
        service.placement_constraints = []


def create_service(self):
    result = _original["create_service"](self)
    backend = self.ecs_backend
    service = backend._get_service(self._get_param("cluster", "default"), self._get_param("serviceName"))
    _configure(service, {k: self._get_param(k) for k in ("deploymentConfiguration", "placementStrategy", "placementConstraints",
                                                         "availabilityZoneRebalancing", "capacityProviderStrategy")})
    if service.capacity_provider_strategy:
        service.launch_type = None  # AWS: a capacity provider strategy and a launch type are exclusive
    for deployment in service.deployments or []:
        deployment["id"] = new_deployment_id()
    refresh_counts(backend, service)
    return result


def update_service(self):
    backend = self.ecs_backend
    cluster = self._get_param("cluster", "default")
    name = self._get_param("service").split("/")[-1]
    service = backend._get_service(cluster, name)
    before = service.task_definition
    previous = copy.deepcopy(service.deployments or [])
    result = _original["update_service"](self)
    service = backend._get_service(cluster, name)
    _configure(service, {k: self._get_param(k) for k in ("deploymentConfiguration", "placementStrategy", "placementConstraints",
                                                         "availabilityZoneRebalancing", "capacityProviderStrategy")})
    changed = self._get_param("taskDefinition") and service.task_definition != before
    if (changed or self._get_param("forceNewDeployment")) and service.deployment_controller.get("type") == "ECS":
        now = utcnow()
        kept = [dict(d, status="ACTIVE") for d in previous if d.get("status") in ("PRIMARY", "ACTIVE")]
        primary = dict(previous[0]) if previous else {}
        primary.update({
            "id": new_deployment_id(),
            "status": "PRIMARY",
            "taskDefinition": service.task_definition,
            "desiredCount": service.desired_count,
            "createdAt": now,
            "updatedAt": now,
            "rolloutState": "IN_PROGRESS",
            "rolloutStateReason": "ECS deployment in progress.",
        })
        service.deployments = [primary] + kept
    refresh_counts(backend, service)
    return result


def describe_services(self):
    backend = self.ecs_backend
    cluster = self._get_param("cluster", "default")
    for ref in self._get_param("services") or []:
        try:
            refresh_counts(backend, backend._get_service(cluster, ref.split("/")[-1]))
        except Exception:
            pass  # reported as a MISSING failure by describe_services itself
    return _original["describe_services"](self)


def control_service_event(body):
    """ECS's scheduler writes a service event: newest first, the latest 100 kept (API Reference, Service `events`)."""
    from moto.ecs.models import ecs_backends
    from moto.core import DEFAULT_ACCOUNT_ID
    backend = ecs_backends[body.get("account", DEFAULT_ACCOUNT_ID)][body["region"]]
    service = backend._get_service(body["cluster"], body["service"])
    event = {"id": str(mock_random.uuid4()), "createdAt": utcnow(), "message": body["message"]}
    service.events = ([event] + list(service.events or []))[:100]
    return {"id": event["id"]}


_original = {}


def apply():
    for name in ("create_service", "update_service", "describe_services"):
        _original[name] = getattr(EC2ContainerServiceResponse, name)
    EC2ContainerServiceResponse.create_service = create_service
    EC2ContainerServiceResponse.update_service = update_service
    EC2ContainerServiceResponse.describe_services = describe_services
