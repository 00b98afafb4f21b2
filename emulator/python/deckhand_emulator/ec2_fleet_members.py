"""Instances an EC2 Fleet launches carry the tag aws:ec2:fleet-id, as in AWS.

AWS behaviour reproduced (Amazon EC2 User Guide, "Tag an EC2 Fleet" and "Work with EC2 Fleets":
EC2 Fleet tags each instance it launches with aws:ec2:fleet-id, the key policies such as
hold-capacity's TerminateOnlyEc2FleetMembers condition on): every On-Demand and Spot member of an
EC2 Fleet, at its first launch and at a replacement, is tagged aws:ec2:fleet-id = the fleet's id.
moto 5.2.1 tagged them with nothing of the fleet, so a role scoped by that tag looked allowed only
because the IAM test saw no tag at all.
"""
from moto.ec2.models.fleets import Fleet

FLEET_TAG = "aws:ec2:fleet-id"
_on_demand = None
_spot = None


def _tag_members(fleet):
    for request in fleet.spot_requests:
        if request.instance is not None:
            fleet.ec2_backend.create_tags([request.instance.id], {FLEET_TAG: fleet.id})
    for member in fleet.on_demand_instances:
        fleet.ec2_backend.create_tags([member["instance"].id], {FLEET_TAG: fleet.id})


def _create_on_demand_requests(self, weight_to_add):
    result = _on_demand(self, weight_to_add)
    _tag_members(self)
    return result


def _create_spot_requests(self, weight_to_add):
    result = _spot(self, weight_to_add)
    _tag_members(self)
    return result


def apply():
    """Call last of the fleet fixes: it wraps whatever launches members by then, the On-Demand
    raise of ModifyFleet (fleet_on_demand.py, which launches through its own reference) included."""
    global _on_demand, _spot
    from . import fleet_on_demand
    _on_demand = Fleet.create_on_demand_requests
    _spot = Fleet.create_spot_requests
    Fleet.create_on_demand_requests = _create_on_demand_requests
    Fleet.create_spot_requests = _create_spot_requests
    raise_on_demand = fleet_on_demand._create_on_demand

    def _raised(fleet, weight_to_add):
        result = raise_on_demand(fleet, weight_to_add)
        _tag_members(fleet)
        return result

    fleet_on_demand._create_on_demand = _raised
