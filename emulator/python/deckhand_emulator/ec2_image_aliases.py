"""A Systems Manager parameter in place of an AMI id, as EC2 documents it, and where a fleet may name an image.

AWS behaviour reproduced:
  - A launch template's ImageId may be `resolve:ssm:NAME` (or NAME:VERSION, NAME:LABEL, a parameter ARN):
    the parameter "will resolve to the ID of the AMI at instance launch" (EC2 User Guide, "Use a Systems
    Manager parameter instead of an AMI ID"). moto launched an instance whose ImageId was the literal
    `resolve:ssm:...` text. A parameter that does not resolve fails the launch.
  - DescribeLaunchTemplateVersions shows the parameter as given, and with ResolveAlias=true the AMI id
    it resolves to now (EC2 API Reference, DescribeLaunchTemplateVersions, ResolveAlias; ResponseLaunchTemplateData,
    ImageId). moto ignored ResolveAlias.
  - An EC2 Fleet override's ImageId "is only available for fleets of type instant. For fleets of type
    maintain and request, you must specify the AMI ID in the launch template" (EC2 API Reference,
    FleetLaunchTemplateOverridesRequest, ImageId): CreateFleet and ModifyFleet refuse it for those types.
    moto accepted it. AWS documents the restriction, not its error code: the emulator answers
    InvalidParameterValue, EC2's code for a value it does not accept.
"""
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.exceptions import InvalidParameterValue
from moto.ec2.models.instances import InstanceBackend
from moto.ec2.responses.fleets import Fleets
from moto.ec2.responses.launch_templates import LaunchTemplates

PREFIX = "resolve:ssm:"


def resolve(image_id, region, account=DEFAULT_ACCOUNT_ID):
    """The AMI id `image_id` names now: itself, or the value of the parameter a `resolve:ssm:` alias names."""
    if not isinstance(image_id, str) or not image_id.startswith(PREFIX):
        return image_id
    from moto.ssm.models import ssm_backends
    parameter = ssm_backends[account][region].get_parameter(image_id[len(PREFIX):])   # a name, NAME:selector or an ARN
    if parameter is None:
        raise InvalidParameterValue(f"Invalid value '{image_id}' for ImageId: the Systems Manager parameter does not resolve")
    return parameter.value


def apply():
    run_instances = InstanceBackend.run_instances

    def run_instances_resolving(self, image_id, count, user_data, security_group_names, **kwargs):
        if not image_id and kwargs.get("launch_template"):   # RunInstances naming a template takes the template's image
            image_id = self._get_template_from_args(kwargs["launch_template"]).image_id
        return run_instances(self, resolve(image_id, self.region_name, self.account_id), count, user_data,
                             security_group_names, **kwargs)

    InstanceBackend.run_instances = run_instances_resolving

    describe_versions = LaunchTemplates.describe_launch_template_versions

    def describe_versions_resolving(self):
        result = describe_versions(self)
        if str(self._get_param("ResolveAlias", "false")).lower() == "true":
            data = result.data if hasattr(result, "data") else result.result
            for version in data["LaunchTemplateVersions"]:
                template_data = dict(version["LaunchTemplateData"] or {})
                if "ImageId" in template_data:
                    template_data["ImageId"] = resolve(template_data["ImageId"], self.region, self.current_account)
                version["LaunchTemplateData"] = template_data
        return result

    LaunchTemplates.describe_launch_template_versions = describe_versions_resolving

    def refusing_image_overrides(handler, fleet_type_of):
        def wrapped(self):
            fleet_type = fleet_type_of(self)
            if fleet_type in ("maintain", "request"):
                for config in self._get_param("LaunchTemplateConfigs", []) or []:
                    for override in config.get("Overrides") or []:
                        if override.get("ImageId"):
                            raise InvalidParameterValue(
                                f"ImageId in a launch template override is only available for fleets of type instant; "
                                f"a fleet of type {fleet_type} launches the AMI of its launch template")
            return handler(self)
        return wrapped

    def created_type(self):
        return self._get_param("Type", if_none="maintain")

    def modified_type(self):
        fleet = self.ec2_backend.get_fleet(self._get_param("FleetId"))
        return fleet.fleet_type if fleet is not None else None

    Fleets.create_fleet = refusing_image_overrides(Fleets.create_fleet, created_type)
    Fleets.modify_fleet = refusing_image_overrides(Fleets.modify_fleet, modified_type)
