"""The emulator's control API, for the local scheduler only: what ECS's own scheduler does inside AWS
and no public API offers. POST JSON to /_deckhand/<action>; every other path goes to moto.

  ecs/deployment   {region, cluster, service, deploymentId, rolloutState}
                   COMPLETED also drops the deployments it replaced, as ECS does.
  ecs/task         {region, cluster, task, lastStatus, stopCode?, stoppedReason?}
                   e.g. STOPPED with stopCode TerminationNotice when the instance went away: at once.
                   {region, cluster, task, desiredStatus: STOPPED, stopCode?, stoppedReason?}: ECS's
                   scheduler stops the task, through DEACTIVATING and STOPPING (ecs_task_phases.py).
  ecs/container-instance {region, cluster, containerInstance, agentConnected?, status?}
  ecs/service-event {region, cluster, service, message}: ECS writes a service event (e.g. AZ rebalancing)
  autoscaling/lifecycle-action  {region, group, hook, instanceId, transition?, token?, origin?, destination?}:
                   an instance waits on a hook (timing out as the hook says, by the emulator's clock)
  autoscaling/lifecycle-actions {region}: every lifecycle action, its heartbeats, result and endedBy
  sqs/release-delayed {region, queue, inFlight?}: the earliest delayed (and with inFlight, in-flight)
                   messages become visible; answers by how many seconds the clock moved
  clock/advance {seconds}: time passes for the emulator's clock (lifecycle action timeouts)
  inspector2/finding {region, account?, finding}: Inspector's scan found (or updated) a finding
                   (the shape ListFindings returns); ListFindings then filters it
"""
import json

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow
from moto.ecs.models import ecs_backends

from . import autoscaling_activities, autoscaling_hooks, clock, ecs_services, ec2_client_tokens, ec2_scheduled_events, fleet_history, ecs_tags, ecs_task_phases, inspector_findings, ops_items, sqs_time

PREFIX = "/_deckhand/"


def _backend(body):
    return ecs_backends[body.get("account", DEFAULT_ACCOUNT_ID)][body["region"]]


def _deployment(body):
    backend = _backend(body)
    service = backend._get_service(body["cluster"], body["service"])
    state = body["rolloutState"]
    for deployment in service.deployments:
        if deployment["id"] == body["deploymentId"]:
            deployment["rolloutState"] = state
            deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} {state.lower()}."
            deployment["updatedAt"] = utcnow()
            if state == "COMPLETED":
                service.deployments = [deployment]
            break
    else:
        raise KeyError(f"no deployment {body['deploymentId']}")
    ecs_services.refresh_counts(backend, service)
    return {"deployments": len(service.deployments)}


def _task(body):
    backend = _backend(body)
    cluster = backend._get_cluster(body["cluster"])
    task_id = body["task"].split("/")[-1]
    for arn, task in backend.tasks.get(cluster.name, {}).items():
        if arn.split("/")[-1] == task_id:
            ecs_task_phases.progress(task)
            if "lastStatus" not in body:
                if body.get("desiredStatus") != "STOPPED":
                    raise ValueError("ecs/task needs lastStatus, or desiredStatus STOPPED")
                if task.desired_status != "STOPPED":
                    backend.stop_task(body["cluster"], arn, body.get("stoppedReason", ""))
                    task.stop_code = body.get("stopCode", getattr(task, "stop_code", None))
                ecs_task_phases.progress(task)
                return {"task": arn, "lastStatus": task.last_status}
            status = body["lastStatus"]
            if status == "STOPPED" and task.desired_status != "STOPPED":
                backend.stop_task(body["cluster"], arn, body.get("stoppedReason", ""))
            task.last_status = status
            if status == "STOPPED":
                ecs_task_phases.stop_now(task)
                task.desired_status = "STOPPED"
                task.stop_code = body.get("stopCode", getattr(task, "stop_code", None))
                task.stopped_reason = body.get("stoppedReason", task.stopped_reason)
                task.stopped_at = utcnow()
            return {"task": arn}
    raise KeyError(f"no task {body['task']}")


def _container_instance(body):
    backend = _backend(body)
    cluster = backend._get_cluster(body["cluster"])
    ci = backend.container_instances.get(cluster.name, {}).get(body["containerInstance"].split("/")[-1])
    if ci is None:
        raise KeyError(f"no container instance {body['containerInstance']}")
    if "agentConnected" in body:
        ci.agent_connected = bool(body["agentConnected"])
    if "status" in body:
        ci.status = body["status"]
    return {"containerInstance": ci.container_instance_arn}


ACTIONS = {
    "ecs/deployment": _deployment,
    "ecs/task": _task,
    "ecs/container-instance": _container_instance,
    "ecs/service-event": ecs_services.control_service_event,
    "autoscaling/lifecycle-action": autoscaling_hooks.control_wait,
    "autoscaling/lifecycle-actions": autoscaling_hooks.control_list,
    "sqs/release-delayed": sqs_time.control_release,
    "clock/advance": clock.control_advance,
    "inspector2/finding": inspector_findings.control_finding,
}


def middleware(app):
    def wrapped(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/moto-api/reset":
            autoscaling_hooks.reset()
            clock.reset()
            autoscaling_activities.reset()
            ecs_tags.reset()
            ops_items.reset()
            inspector_findings.reset()
            fleet_history.reset()
            ec2_scheduled_events.reset()
            ec2_client_tokens.reset()
        if not path.startswith(PREFIX):
            return app(environ, start_response)
        action = ACTIONS.get(path[len(PREFIX):])
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if action is None:
                raise KeyError(f"unknown control action {path}")
            status, payload = "200 OK", action(body)
        except Exception as error:  # the caller is the local scheduler: tell it exactly what failed
            status, payload = "400 Bad Request", {"error": f"{type(error).__name__}: {error}"}
        data = json.dumps(payload).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    return wrapped
