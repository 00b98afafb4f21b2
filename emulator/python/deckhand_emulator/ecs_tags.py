"""Tags on container instances, which moto lacks.

AWS behaviour reproduced (Amazon ECS API Reference, TagResource, UntagResource,
ListTagsForResource, DescribeContainerInstances): a container instance (long ARN format) can be
tagged; ListTagsForResource answers its tags; DescribeContainerInstances includes them only when
`include` has TAGS; tagging again with the same key replaces the value.
"""
from moto.ecs.exceptions import InvalidParameterException
from moto.ecs.models import EC2ContainerServiceBackend
from moto.ecs.responses import EC2ContainerServiceResponse

_tags = {}  # container instance ARN -> list of {"key", "value"}
_get_resource = EC2ContainerServiceBackend._get_resource
_describe = None


class _Tagged:
    def __init__(self, arn):
        self.arn = arn

    @property
    def tags(self):
        return _tags.get(self.arn, [])

    @tags.setter
    def tags(self, value):
        _tags[self.arn] = value


def reset():
    _tags.clear()


def _resource(self, resource_arn, parsed_arn):
    if parsed_arn["service"] != "container-instance":
        return _get_resource(self, resource_arn, parsed_arn)
    cluster = parsed_arn.get("cluster_id")
    instance = self.container_instances.get(cluster or "", {}).get(parsed_arn["id"])
    if instance is None:
        raise InvalidParameterException("The specified container instance does not exist.")
    return _Tagged(instance.container_instance_arn)


def _describe_container_instances(self):
    include_tags = "TAGS" in (self._get_param("include") or [])
    for instances in self.ecs_backend.container_instances.values():
        for instance in instances.values():
            instance.tags = list(_tags.get(instance.container_instance_arn, [])) if include_tags else None
    return _describe(self)


def apply():
    global _describe
    EC2ContainerServiceBackend._get_resource = _resource
    _describe = EC2ContainerServiceResponse.describe_container_instances
    EC2ContainerServiceResponse.describe_container_instances = _describe_container_instances
