"""RegisterContainerInstance of an instance registered before, and into a cluster that does not exist.

AWS behaviour reproduced (Amazon ECS API Reference, RegisterContainerInstance,
https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterContainerInstance.html):
- `containerInstanceArn` is "The ARN of the container instance (if it was previously registered)":
  registering again with it answers that same container instance. The ECS agent does so after a
  restart; an agent that registers an EC2 instance already registered (and not deregistered) in the
  cluster gets its container instance back as well. moto registered a second container instance.
- The errors listed include ClusterNotFoundException, "The specified cluster wasn't found" (HTTP 400).
  moto raised a bare Exception ("default is not a cluster"), which moto_server answered HTTP 500.
"""
import json

from moto.core.responses import ActionResult
from moto.ecs.exceptions import ClusterNotFoundException
from moto.ecs.responses import EC2ContainerServiceResponse

_original = {}


def _previous(backend, cluster_name, arn, ec2_instance_id):
    instances = backend.container_instances.get(cluster_name, {})
    if arn:
        for instance in instances.values():
            if instance.container_instance_arn == arn or instance.container_instance_arn.endswith("/" + arn):
                return instance
    for instance in instances.values():
        if instance.ec2_instance_id == ec2_instance_id and instance.status != "INACTIVE":
            return instance
    return None


def register_container_instance(self):
    backend = self.ecs_backend
    name = (self._get_param("cluster") or "default").split("/")[-1]
    cluster = backend.clusters.get(name)
    if cluster is None or cluster.status == "INACTIVE":
        raise ClusterNotFoundException
    document = json.loads(self._get_param("instanceIdentityDocument") or "{}")
    previous = _previous(backend, name, self._get_param("containerInstanceArn"), document.get("instanceId"))
    if previous is not None:
        return ActionResult({"containerInstance": previous})
    return _original["register_container_instance"](self)


def apply():
    _original["register_container_instance"] = EC2ContainerServiceResponse.register_container_instance
    EC2ContainerServiceResponse.register_container_instance = register_container_instance
