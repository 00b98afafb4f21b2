"""Launch template versions, EC2 Fleets and Spot Fleets as AWS documents them, for rotate-ami.

AWS behaviour reproduced:
  - CreateLaunchTemplateVersion with SourceVersion: the new version is the source version's data with
    the LaunchTemplateData given on top; what is not given is inherited (EC2 API Reference,
    CreateLaunchTemplateVersion, SourceVersion). moto kept only the data given.
  - ModifyFleet (EC2 API Reference): changes LaunchTemplateConfigs and TargetCapacitySpecification of a
    fleet of type maintain; other types are refused. moto did not implement it.
  - RequestSpotFleet with LaunchTemplateConfigs: AllocationStrategy defaults to lowestPrice and Type to
    maintain; the Version named is the one launched; DescribeSpotFleetRequests returns the
    LaunchTemplateConfigs and Type; ModifySpotFleetRequest takes LaunchTemplateConfigs (EC2 API
    Reference, SpotFleetRequestConfigData, ModifySpotFleetRequest). moto failed without
    AllocationStrategy, launched $Latest, described neither field and ignored the new configs.
  - A fleet of type maintain replaces an instance that is terminated, from its current launch
    template configuration ("EC2 Fleet request types": maintain); DescribeFleetInstances /
    DescribeSpotFleetInstances list the replacement, not the terminated instance. moto did not replace.
  - DescribeLaunchTemplates returns a template's current tags, including those added by CreateTags
    after it was created (EC2 API Reference, LaunchTemplate.Tags). moto returned the tags it was
    created with.
  - Instances launched from a launch template carry the tags aws:ec2launchtemplate:id and
    aws:ec2launchtemplate:version (EC2 User Guide, "Launch template restrictions"/tags added by AWS).
"""
import copy

from moto.ec2.exceptions import InvalidParameterValue
from moto.ec2.models.fleets import Fleet
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.models.launch_templates import LaunchTemplate
from moto.ec2.models.spot_requests import SpotFleetLaunchSpec, SpotFleetRequest
from moto.ec2.responses.fleets import Fleets
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.responses.spot_fleets import SpotFleets
from moto.ec2.utils import convert_tag_spec
from moto.core.responses import ActionResult


def _template(backend, spec):
    if spec.get("LaunchTemplateId"):
        return backend.get_launch_template(spec["LaunchTemplateId"])
    return backend.get_launch_template_by_name(spec["LaunchTemplateName"])


def _resolved_version(template, version):
    version = version or "$Default"
    if version == "$Latest":
        return str(template.latest_version_number)
    if version == "$Default":
        return str(template.default_version_number)
    return str(version)


def specs_from_configs(backend, configs, spot_price=None):
    """The launch specs a fleet launches from: each config's template at the version it names, with each override."""
    specs = []
    for config in configs or []:
        spec_ref = config.get("LaunchTemplateSpecification") or {}
        if not (spec_ref.get("LaunchTemplateId") or spec_ref.get("LaunchTemplateName")):
            continue
        template = _template(backend, spec_ref)
        version = _resolved_version(template, spec_ref.get("Version"))
        data = template.get_version(version).data
        resolved = dict(spec_ref, LaunchTemplateId=template.id, Version=spec_ref.get("Version") or "$Default")
        for override in config.get("Overrides") or [{}]:
            merged = dict(data)
            merged.update(override)
            tags = convert_tag_spec(merged.get("TagSpecifications", []))
            tags["instance"] = dict(tags.get("instance", {}), **{"aws:ec2launchtemplate:id": template.id,
                                                                 "aws:ec2launchtemplate:version": version})
            profile = merged.get("IamInstanceProfile") or {}
            specs.append(SpotFleetLaunchSpec(
                ebs_optimized=merged.get("EbsOptimized"),
                group_set=merged.get("SecurityGroupIds") or merged.get("SecurityGroups") or [],
                iam_instance_profile=profile.get("Arn") if isinstance(profile, dict) else None,
                image_id=merged["ImageId"],
                instance_type=merged.get("InstanceType") or "m5.large",
                key_name=merged.get("KeyName"),
                monitoring=(merged.get("Monitoring") or {}).get("Enabled", False) if isinstance(merged.get("Monitoring"), dict) else False,
                spot_price=merged.get("MaxPrice") or merged.get("SpotPrice") or spot_price,
                subnet_id=merged.get("SubnetId"),
                tag_specifications=tags,
                user_data=merged.get("UserData"),
                weighted_capacity=merged.get("WeightedCapacity", 1),
                launch_template_spec=resolved,
                overrides=override or None,
            ))
    return specs


# ---- CreateLaunchTemplateVersion: SourceVersion

_create_version = LaunchTemplates.create_launch_template_version


def _create_launch_template_version(self):
    source = self._get_param("SourceVersion")
    if source:
        name = self._get_param("LaunchTemplateName")
        template_id = self._get_param("LaunchTemplateId")
        template = self.ec2_backend.get_launch_template(template_id) if template_id \
            else self.ec2_backend.get_launch_template_by_name(name)
        base = copy.deepcopy(template.get_version(_resolved_version(template, source)).data)
        given = self._get_param("LaunchTemplateData", {}) or {}
        base.update(given)
        return _with_param(self, "LaunchTemplateData", base, _create_version)
    return _create_version(self)


def _with_param(response, key, value, handler):
    """Calls moto's `handler` with request parameter `key` read as `value`."""
    original = response._get_param

    def get_param(name, if_none=None):
        return value if name == key else original(name, if_none)

    response._get_param = get_param
    try:
        return handler(response)
    finally:
        del response._get_param


# ---- EC2 Fleet: ModifyFleet

def _modify_fleet(self):
    fleet_id = self._get_param("FleetId")
    fleet = self.ec2_backend.get_fleet(fleet_id)
    if fleet is None:
        raise InvalidParameterValue(f"The fleet ID '{fleet_id}' does not exist")
    if fleet.fleet_type != "maintain":
        raise InvalidParameterValue(f"Fleet {fleet_id} is of type {fleet.fleet_type}; only fleets of type maintain can be modified")
    configs = self._get_param("LaunchTemplateConfigs", [])
    capacity = self._get_param("TargetCapacitySpecification", {})
    self.error_on_dryrun()
    if configs:
        fleet.launch_template_configs = configs
        fleet.launch_specs = specs_from_configs(self.ec2_backend, configs)
    if capacity.get("TotalTargetCapacity") is not None:
        total = int(capacity["TotalTargetCapacity"])
        fleet.target_capacity_specification = dict(fleet.target_capacity_specification, TotalTargetCapacity=total)
        delta = total - fleet.fulfilled_capacity
        fleet.target_capacity = total
        if delta > 0:
            kind = fleet.target_capacity_specification.get("DefaultTargetCapacityType") or "on-demand"
            (fleet.create_spot_requests if kind == "spot" else fleet.create_on_demand_requests)(delta)
        elif delta < 0:
            fleet.terminate_instances()
    return ActionResult({"Return": True})


# ---- Spot Fleet: defaults, the Version named, described and modifiable launch template configs

_spot_fleet_init = SpotFleetRequest.__init__
_spot_fleet_create = SpotFleetRequest.create_spot_requests
_spot_fleet_config = SpotFleetRequest.spot_fleet_request_config


def _spot_init(self, ec2_backend, spot_backend, spot_fleet_request_id, spot_price, target_capacity, iam_fleet_role,
               allocation_strategy, launch_specs, launch_template_config=None, instance_interruption_behaviour=None,
               tag_specifications=None):
    self._deckhand_deferred = True
    self.launch_template_configs = launch_template_config or []
    self.fleet_type = getattr(self, "fleet_type", None) or "maintain"
    _spot_fleet_init(self, ec2_backend, spot_backend, spot_fleet_request_id, spot_price, target_capacity, iam_fleet_role,
                     allocation_strategy or "lowestPrice", launch_specs, None if not launch_specs else [], instance_interruption_behaviour,
                     tag_specifications)
    self.launch_specs = self.launch_specs + specs_from_configs(ec2_backend, self.launch_template_configs, spot_price)
    self._deckhand_deferred = False
    self.create_spot_requests(self.target_capacity)


def _spot_create(self, weight_to_add):
    if getattr(self, "_deckhand_deferred", False):
        return None
    return _spot_fleet_create(self, weight_to_add)


def _spot_config(self):
    config = _spot_fleet_config.fget(self)
    config["Type"] = getattr(self, "fleet_type", "maintain")
    if getattr(self, "launch_template_configs", None):
        config["LaunchTemplateConfigs"] = self.launch_template_configs
        config.pop("LaunchSpecifications", None)
    return config


_request_spot_fleet = SpotFleets.request_spot_fleet


def _request_spot_fleet_with_defaults(self):
    config = self._get_param("SpotFleetRequestConfig", {})
    config.setdefault("AllocationStrategy", "lowestPrice")
    fleet_type = config.get("Type") or "maintain"
    result = _with_param(self, "SpotFleetRequestConfig", config, _request_spot_fleet)
    request = self.ec2_backend.get_spot_fleet_request(result.data["SpotFleetRequestId"] if hasattr(result, "data")
                                                      else result.result["SpotFleetRequestId"])
    request.fleet_type = fleet_type
    return result


_modify_spot_fleet = SpotFleets.modify_spot_fleet_request


def _modify_spot_fleet_request(self):
    configs = self._get_param("LaunchTemplateConfigs", [])
    request_id = self._get_param("SpotFleetRequestId")
    if configs:
        request = self.ec2_backend.get_spot_fleet_request(request_id)
        if request is None:
            raise InvalidParameterValue(f"The spot fleet request ID '{request_id}' does not exist")
        request.launch_template_configs = configs
        request.launch_specs = specs_from_configs(self.ec2_backend, configs, request.spot_price)
    if self._get_param("TargetCapacity") is None:
        return ActionResult({"Return": True})
    return _modify_spot_fleet(self)


# ---- maintained fleets replace terminated members

_terminate = InstanceBackend.terminate_instances


def _terminate_instances(self, instance_ids):
    ids = set(instance_ids)
    lost = []   # (fleet, spot count, on-demand count), read before moto drops the members
    for fleet in list(getattr(self, "fleets", {}).values()):
        if fleet.fleet_type == "maintain" and fleet.state == "active":
            # In units: a weighted member is replaced by what it counted (fleet_on_demand.weight).
            spot = sum(_weight(fleet, r.instance) for r in fleet.spot_requests if r.instance.id in ids and r.instance.state != "terminated")
            on_demand = sum(_weight(fleet, r["instance"]) for r in fleet.on_demand_instances
                            if r["instance"].id in ids and r["instance"].state != "terminated")
            if spot or on_demand:
                lost.append((fleet, spot, on_demand))
    for request in list(getattr(self, "spot_fleet_requests", {}).values()):
        if getattr(request, "fleet_type", "maintain") == "maintain" and request.state == "active":
            spot = sum(_weight(request, r.instance) for r in request.spot_requests if r.instance.id in ids and r.instance.state != "terminated")
            if spot:
                lost.append((request, spot, 0))
    result = _terminate(self, instance_ids)
    for fleet, spot, on_demand in lost:
        if spot:
            fleet.create_spot_requests(spot)
        if on_demand:
            fleet.create_on_demand_requests(on_demand)
    return result


def _weight(fleet, instance):
    from . import fleet_units
    return fleet_units.member_units(fleet, instance)


def _template_tags(self):
    return self.get_tags()


def apply():
    LaunchTemplate.tags = property(_template_tags, lambda self, value: None)
    LaunchTemplates.create_launch_template_version = _create_launch_template_version
    Fleets.modify_fleet = _modify_fleet
    SpotFleetRequest.__init__ = _spot_init
    SpotFleetRequest.create_spot_requests = _spot_create
    SpotFleetRequest.spot_fleet_request_config = property(_spot_config)
    SpotFleets.request_spot_fleet = _request_spot_fleet_with_defaults
    SpotFleets.modify_spot_fleet_request = _modify_spot_fleet_request
    InstanceBackend.terminate_instances = _terminate_instances
