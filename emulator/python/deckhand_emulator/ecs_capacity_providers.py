"""Capacity providers' managed draining, and the capacity provider of a container instance.

AWS behaviour reproduced:
- Amazon ECS Developer Guide, "Configuring Amazon ECS capacity providers to safely shut down
  instances" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/enable-managed-instance-draining.html):
  "Managed instance draining is on by default when you create a capacity provider", so a capacity
  provider created without `managedDraining` describes it as ENABLED; UpdateCapacityProvider
  changes it (API Reference, AutoScalingGroupProviderUpdate `managedDraining`). moto left the field
  out on create and ignored it on update.
- API Reference, ContainerInstance `capacityProviderName`: "The capacity provider that's associated
  with the container instance". An instance of an Auto Scaling group that is a capacity provider of
  the cluster registers associated with that capacity provider; moto never set the field.
"""
from moto.autoscaling.models import autoscaling_backends
from moto.ecs.models import CapacityProvider, EC2ContainerServiceBackend

_original = {}


def _prepare_asg_provider(self, asg_details):
    details = _original["prepare"](self, asg_details)
    details.setdefault("managedDraining", "ENABLED")
    return details


def _update(self, asg_details):
    if "managedDraining" in asg_details:
        self.auto_scaling_group_provider["managedDraining"] = asg_details["managedDraining"]
    _original["update"](self, asg_details)


def _group_of(account_id, region, instance_id):
    for group in autoscaling_backends[account_id][region].autoscaling_groups.values():
        if any(state.instance.id == instance_id for state in group.instance_states):
            return group
    return None


def _register_container_instance(self, cluster_str, ec2_instance_id):
    instance = _original["register"](self, cluster_str, ec2_instance_id)
    cluster = self.clusters.get(cluster_str.split("/")[-1])
    group = _group_of(self.account_id, self.region_name, ec2_instance_id)
    if cluster is not None and group is not None:
        for name in cluster.capacity_providers or []:
            provider = self._get_provider(name)
            asg = (provider.auto_scaling_group_provider or {}).get("autoScalingGroupArn") if provider else None
            if asg in (group.arn, group.name):
                instance.capacity_provider_name = provider.name
                break
    return instance


def apply():
    _original["prepare"] = CapacityProvider._prepare_asg_provider
    _original["update"] = CapacityProvider.update
    _original["register"] = EC2ContainerServiceBackend.register_container_instance
    CapacityProvider._prepare_asg_provider = _prepare_asg_provider
    CapacityProvider.update = _update
    EC2ContainerServiceBackend.register_container_instance = _register_container_instance
