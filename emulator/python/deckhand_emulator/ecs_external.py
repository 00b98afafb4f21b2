"""RegisterContainerInstance of an ECS Anywhere (external) instance, which has no EC2 instance.

AWS behaviour reproduced (Amazon ECS Developer Guide, "Amazon ECS clusters for external instances",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-anywhere.html): an on-premises
server or VM registered with SSM as a managed instance (`mi-...`) registers with an ECS cluster as a
container instance; DescribeContainerInstances reports that `mi-` id as its `ec2InstanceId`.
moto 5.2.1 looked the id up among EC2 instances and refused the registration.
"""
from types import SimpleNamespace

from moto.ec2.models import ec2_backends
from moto.ecs.models import ContainerInstance

_original = {}


def _init(self, ec2_instance_id, account_id, region_name, cluster_name, backend):
    if not str(ec2_instance_id).startswith("mi-"):
        return _original["init"](self, ec2_instance_id, account_id, region_name, cluster_name, backend)
    ec2 = ec2_backends[account_id][region_name]
    looked_up = type(ec2).get_instance
    external = SimpleNamespace(image_id=None, availability_zone=None, instance_type=None, platform=None)
    ec2.get_instance = lambda instance_id: external if instance_id == ec2_instance_id else looked_up(ec2, instance_id)
    try:
        _original["init"](self, ec2_instance_id, account_id, region_name, cluster_name, backend)
    finally:
        del ec2.get_instance
    self.attributes = {"ecs.os-type": "linux"}


def apply():
    _original["init"] = ContainerInstance.__init__
    ContainerInstance.__init__ = _init
