"""RegisterContainerInstance's `totalResources`, which moto ignores.

AWS behaviour reproduced (Amazon ECS API Reference, RegisterContainerInstance): `totalResources`
gives the resources available on the instance (CPU units, MEMORY MiB, ...); the container instance
is registered with them and, having no task yet, has all of them remaining. moto registered every
instance with 4096 CPU units and 7482 MiB whatever the request said.
"""
import copy

from moto.ecs.responses import EC2ContainerServiceResponse

_original = {}


def register_container_instance(self):
    result = _original["register_container_instance"](self)
    total = self._get_param("totalResources")
    if total:
        instance = result.result["containerInstance"]
        named = {resource["name"]: resource for resource in total}
        for field in ("registered_resources", "remaining_resources"):
            resources = getattr(instance, field)
            for index, resource in enumerate(resources):
                if resource["name"] in named:
                    resources[index] = dict(copy.deepcopy(resource), **named[resource["name"]])
    return result


def apply():
    _original["register_container_instance"] = EC2ContainerServiceResponse.register_container_instance
    EC2ContainerServiceResponse.register_container_instance = register_container_instance
