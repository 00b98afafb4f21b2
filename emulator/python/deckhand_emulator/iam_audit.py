"""What AWS would authorize for each call a Deckhand function makes, recorded for the IAM tests.

The local AWS enforces no IAM. This middleware writes down, for every request signed with a
function's own access key (its logical id in template.yaml, e.g. DrainInstanceFunction: tests and
`deckhand` give each function's clients that key; seeders and tests sign as `testing` and are not
recorded), each authorization AWS performs for it: the IAM action, the resource ARN it acts on, and
the request context AWS supplies (ecs:cluster, aws:ResourceTag/* read from the emulator's state at
the time of the call, aws:RequestTag/*, aws:TagKeys, iam:PassedToService, ec2:CreateAction,
aws:RequestedRegion, events:source, ...). It also adds the authorizations AWS performs on the
caller's behalf (local/iam/on-behalf.md cites the page for each).

`local/iam/check.mjs` evaluates every recorded authorization against each function's role as
`template.yaml` deploys it, with an IAM policy simulator. Recording is on when the emulator's
environment has DECKHAND_IAM_RECORD (a directory); each emulator process appends distinct lines to
its own calls-PID.jsonl there.

Sources (Service Authorization Reference, "Actions, resources, and condition keys for ..."): Amazon
ECS, Amazon EC2, Amazon EC2 Auto Scaling, AWS Systems Manager, Amazon SQS, Amazon EventBridge,
Amazon ECR, AWS CodeDeploy, AWS Identity and Access Management.
"""
import io
import json
import os
import re
import threading
from urllib.parse import parse_qs, urlparse

from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT

RECORD_DIR = os.environ.get("DECKHAND_IAM_RECORD")
# Operations of REST-protocol services, by method and path (botocore's models, requestUri).
REST_OPERATIONS = {("inspector2", "POST", "/findings/list"): "ListFindings"}
UNRECORDED_KEYS = {"testing"}
_lock = threading.Lock()
_seen = set()
_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d+/([^/]+)/([^/]+)/")


def middleware(app):
    if not RECORD_DIR:
        return app
    os.makedirs(RECORD_DIR, exist_ok=True)
    path = os.path.join(RECORD_DIR, f"calls-{os.getpid()}.jsonl")

    def wrapped(environ, start_response):
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match and match.group(1) not in UNRECORDED_KEYS:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            _record(path, match.group(1), match.group(2), match.group(3), environ, body)
        return app(environ, start_response)

    return wrapped


def call_of(service, environ, body):
    """The call a request makes ("ssm:GetParameters") and its parameters, JSON or query."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    rest = REST_OPERATIONS.get((service, environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")))
    if rest:
        operation = rest
        params = json.loads(body or b"{}")
    elif target:
        operation = target.split(".")[-1]
        params = json.loads(body or b"{}")
    else:
        form = parse_qs(body.decode() if body else environ.get("QUERY_STRING", ""))
        params = {k: v[0] for k, v in form.items()}
        operation = params.get("Action", "")
    return f"{service}:{operation}", params


def _record(path, caller, region, service, environ, body):
    from . import iam_denials
    call, params = call_of(service, environ, body)
    try:
        mapper = MAPPERS.get(call)
        if mapper is None:
            entry = {"caller": caller, "call": call, "region": region, "error": f"no IAM mapping for {call}"}
        else:
            # An authorization the emulator refused (iam_denials.py) must be one the deployed role refuses too.
            entry = {"caller": caller, "call": call, "region": region,
                     "authorizations": [dict(a, context=dict(a["context"], **{"aws:RequestedRegion": region}),
                                             **({"deniedByEmulator": True} if iam_denials.denies(caller, a) else {}))
                                        for a in mapper(Request(region, params))]}
    except Exception as error:  # a mapping bug must fail the IAM test, not the call
        entry = {"caller": caller, "call": call, "region": region, "error": f"{type(error).__name__}: {error}"}
    line = json.dumps(entry, sort_keys=True)
    with _lock:
        if line in _seen:
            return
        _seen.add(line)
        with open(path, "a") as out:
            out.write(line + "\n")


class Request:
    """A call's parameters, JSON or query, and the ARNs of its region."""

    def __init__(self, region, params):
        self.region = region
        self.params = params

    def get(self, key, default=None):
        return self.params.get(key, default)

    def members(self, prefix):
        """A query-protocol list (InstanceId.1, InstanceIds.member.1) or a JSON list."""
        if isinstance(self.params.get(prefix), list):
            return self.params[prefix]
        found = []
        for key, value in self.params.items():
            m = re.fullmatch(re.escape(prefix) + r"(?:\.member)?\.(\d+)", key)
            if m:
                found.append((int(m.group(1)), value))
        return [v for _, v in sorted(found)]

    def structs(self, prefix):
        """A query-protocol list of structures: {index: {sub-key: value}}."""
        out = {}
        for key, value in self.params.items():
            m = re.fullmatch(re.escape(prefix) + r"(?:\.member)?\.(\d+)\.(.+)", key)
            if m:
                out.setdefault(int(m.group(1)), {})[m.group(2)] = value
        return [out[i] for i in sorted(out)]

    def arn(self, service, resource, account=ACCOUNT):
        return f"arn:aws:{service}:{self.region}:{account}:{resource}"


def auth(action, resource, context=None, why=None):
    entry = {"action": action, "resource": resource, "context": context or {}}
    if why:
        entry["onBehalf"] = why
    return entry


def reads(action):
    """An action with no resource-level permissions: Resource "*"."""
    return lambda r: [auth(action, "*")]


def _tag_context(tags, prefixes=("aws",)):
    context = {}
    for key, value in tags.items():
        for prefix in prefixes:
            context[f"{prefix}:ResourceTag/{key}"] = value
    return context


def _request_tags(tags):
    context = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    context["aws:TagKeys"] = sorted(tags)
    return context


# ---------------------------------------------------------------- ECS

def _ecs():
    from moto.ecs.models import ecs_backends
    return ecs_backends[ACCOUNT]


def _cluster_name(value):
    return (value or "default").split("/")[-1]


def _cluster_arn(r, value):
    return r.arn("ecs", f"cluster/{_cluster_name(value)}")


def _ecs_resource(r, kind, cluster, value):
    if value.startswith("arn:"):
        if value.count("/") == 1 and kind in ("service", "task", "container-instance"):
            # An old-format (short) ARN names no cluster; AWS's resource type is the long form
            # (Service Authorization Reference, Amazon ECS), which the request's cluster completes.
            return r.arn("ecs", f"{kind}/{_cluster_name(cluster)}/{value.split('/')[-1]}")
        return value
    return r.arn("ecs", f"{kind}/{_cluster_name(cluster)}/{value}")


def _ecs_tags(arn):
    from . import ecs_tags
    return {t["key"]: t["value"] for t in ecs_tags._tags.get(arn, [])}


def _ecs_per(kind, param, action):
    def mapper(r):
        cluster = r.get("cluster")
        context = {"ecs:cluster": _cluster_arn(r, cluster)}
        return [auth(action, arn, dict(context, **_tag_context(_ecs_tags(arn))))
                for arn in (_ecs_resource(r, kind, cluster, v) for v in r.get(param, []))]
    return mapper


def _list_tasks(r):
    cluster = r.get("cluster")
    context = {"ecs:cluster": _cluster_arn(r, cluster)}
    instance = r.get("containerInstance")
    resource = _ecs_resource(r, "container-instance", cluster, instance) if instance else "*"
    return [auth("ecs:ListTasks", resource, context)]


def _stop_task(r):
    cluster = r.get("cluster")
    return [auth("ecs:StopTask", _ecs_resource(r, "task", cluster, r.get("task")),
                 {"ecs:cluster": _cluster_arn(r, cluster)})]


def _describe_services(r):
    cluster = r.get("cluster")
    context = {"ecs:cluster": _cluster_arn(r, cluster)}
    return [auth("ecs:DescribeServices", _ecs_resource(r, "service", cluster, s), context) for s in r.get("services", [])]


def _describe_capacity_providers(r):
    # Service Authorization Reference, Amazon ECS: DescribeCapacityProviders on resource type
    # capacity-provider (arn:${Partition}:ecs:${Region}:${Account}:capacity-provider/${CapacityProviderName}).
    return [auth("ecs:DescribeCapacityProviders", name if name.startswith("arn:") else r.arn("ecs", f"capacity-provider/{name}"))
            for name in r.get("capacityProviders", [])]


def _ecs_tag_resource(r):
    arn = r.get("resourceArn")
    tags = {t["key"]: t["value"] for t in r.get("tags", [])}
    return [auth("ecs:TagResource", arn, dict(_request_tags(tags), **_tag_context(_ecs_tags(arn))))]


# ---------------------------------------------------------------- EC2

def _ec2():
    from moto.ec2.models import ec2_backends
    return ec2_backends[ACCOUNT]


def _ec2_tags(region, resource_id):
    return dict(_ec2()[region].tags.get(resource_id, {}))


_EC2_KINDS = {"i": "instance", "lt": "launch-template", "fleet": "fleet", "sfr": "spot-fleet-request",
              "ami": "image", "subnet": "subnet", "sg": "security-group", "vol": "volume"}


def _ec2_arn(r, resource_id):
    kind = _EC2_KINDS[resource_id.split("-")[0]]
    account = "" if kind == "image" else ACCOUNT
    return r.arn("ec2", f"{kind}/{resource_id}", account)


def _ec2_resource(r, action, resource_id, context=None, why=None):
    tags = _ec2_tags(r.region, resource_id)
    return auth(action, _ec2_arn(r, resource_id), dict(context or {}, **_tag_context(tags, ("aws", "ec2"))), why)


def _ec2_tagging(action):
    def mapper(r):
        tags = {t.get("Key"): t.get("Value", "") for t in r.structs("Tag")}
        return [_ec2_resource(r, action, rid, _request_tags(tags)) for rid in r.members("ResourceId")]
    return mapper


def _terminate_instances(r):
    return [_ec2_resource(r, "ec2:TerminateInstances", i) for i in r.members("InstanceId")]


def _launch_template_id(r, spec):
    ec2 = _ec2()[r.region]
    if spec.get("LaunchTemplateId"):
        return spec["LaunchTemplateId"]
    return ec2.launch_template_name_to_ids.get(spec.get("LaunchTemplateName"))


def _template_version(region, template_id, version):
    template = _ec2()[region].launch_templates[template_id]
    if version in (None, "", "$Default"):
        return template.default_version()
    if version == "$Latest":
        return template.latest_version()
    return template.get_version(int(version))


def _template_action(action):
    def mapper(r):
        return [_ec2_resource(r, action, _launch_template_id(r, {"LaunchTemplateId": r.get("LaunchTemplateId"),
                                                                  "LaunchTemplateName": r.get("LaunchTemplateName")}))]
    return mapper


def _fleet_launch_resources(r, action, configs, why, with_image=True):
    """The launch template, its image and the overrides' subnets that ModifyFleet /
    ModifySpotFleetRequest authorize (Service Authorization Reference: resource types of the action)."""
    out = []
    for config in configs:
        spec = {k.split(".", 1)[1]: v for k, v in config.items() if k.startswith("LaunchTemplateSpecification.")}
        template_id = _launch_template_id(r, spec)
        out.append(_ec2_resource(r, action, template_id, why=why))
        data = _template_version(r.region, template_id, spec.get("Version")).data
        if with_image and data.get("ImageId", "").startswith("ami-"):
            out.append(_ec2_resource(r, action, data["ImageId"], why=why))
        for key, value in config.items():
            if key.startswith("Overrides.") and key.endswith(".SubnetId"):
                out.append(_ec2_resource(r, action, value, why=why))
    return out


def _modify_fleet(r):
    out = [_ec2_resource(r, "ec2:ModifyFleet", r.get("FleetId"))]
    return out + _fleet_launch_resources(r, "ec2:ModifyFleet", r.structs("LaunchTemplateConfig"),
                                         "ModifyFleet with LaunchTemplateConfigs")


def _modify_spot_fleet(r):
    out = [_ec2_resource(r, "ec2:ModifySpotFleetRequest", r.get("SpotFleetRequestId"))]
    return out + _fleet_launch_resources(r, "ec2:ModifySpotFleetRequest", r.structs("LaunchTemplateConfig"),
                                         "ModifySpotFleetRequest with LaunchTemplateConfigs", with_image=False)


# ---------------------------------------------------------------- Auto Scaling

def _group(r, name):
    from moto.autoscaling.models import autoscaling_backends
    return autoscaling_backends[ACCOUNT][r.region].autoscaling_groups.get(name)


def _group_auth(r, action, name, context=None):
    group = _group(r, name)
    if group is None:  # a group that does not exist has no id and no tags: AWS denies a scoped role
        arn = r.arn("autoscaling", f"autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/{name}")
        tags = {}
    else:
        arn = group.arn
        tags = {t.get("key", t.get("Key")): t.get("value", t.get("Value", "")) for t in group.tags}
    return auth(action, arn, dict(context or {}, **_tag_context(tags, ("aws", "autoscaling"))))


def _group_named(action):
    return lambda r: [_group_auth(r, action, r.get("AutoScalingGroupName"))]


def _group_of_instance(action):
    def mapper(r):
        from moto.autoscaling.models import autoscaling_backends
        instance_id = r.get("InstanceId")
        for group in autoscaling_backends[ACCOUNT][r.region].autoscaling_groups.values():
            if any(s.instance.id == instance_id for s in group.instance_states):
                return [_group_auth(r, action, group.name)]
        # The instance is in no group (already gone): which group ARN AWS authorizes is not
        # documented, so nothing is recorded for this call (local/iam/README.md, limits).
        return []
    return mapper


def _group_tags(action):
    def mapper(r):
        out = []
        by_group = {}
        for tag in r.structs("Tags"):
            by_group.setdefault(tag.get("ResourceId"), {})[tag.get("Key")] = tag.get("Value", "")
        for name, tags in by_group.items():
            out.append(_group_auth(r, action, name, _request_tags(tags)))
        return out
    return mapper


def _launch_authorizations(r, spec, subnets, why):
    """What Auto Scaling checks for the caller when a group is created or updated with a launch
    template: RunInstances on the launch's resources, PassRole for its instance profile, CreateTags
    at launch (local/iam/on-behalf.md)."""
    template_id = _launch_template_id(r, spec)
    data = _template_version(r.region, template_id, spec.get("Version")).data
    launch = {"ec2:LaunchTemplate": _ec2_arn(r, template_id), "ec2:IsLaunchTemplateResource": "true"}
    out = [_ec2_resource(r, "ec2:RunInstances", template_id, why=why)]
    image = data.get("ImageId", "")
    if image.startswith("ami-"):
        out.append(_ec2_resource(r, "ec2:RunInstances", image, launch, why))
    for kind in ("instance", "volume", "network-interface"):
        out.append(auth("ec2:RunInstances", r.arn("ec2", f"{kind}/*"), launch, why))
    for subnet in subnets:
        out.append(_ec2_resource(r, "ec2:RunInstances", subnet, launch, why))
    groups = list(data.get("SecurityGroupIds", []) or []) + [
        g for ni in data.get("NetworkInterfaces", []) or [] for g in ni.get("Groups", []) or []]
    for group_id in groups:
        out.append(_ec2_resource(r, "ec2:RunInstances", group_id, launch, why))
    if data.get("KeyName"):
        out.append(auth("ec2:RunInstances", r.arn("ec2", f"key-pair/{data['KeyName']}"), launch, why))
    profile = data.get("IamInstanceProfile") or {}
    for role in _profile_roles(profile):
        out.append(auth("iam:PassRole", f"arn:aws:iam::{ACCOUNT}:role/{role}",
                        {"iam:PassedToService": "ec2.amazonaws.com"}, why))
    for spec_tags in data.get("TagSpecifications", []) or []:
        tags = {t["Key"]: t.get("Value", "") for t in spec_tags.get("Tags", [])}
        kind = spec_tags.get("ResourceType", "instance")
        if kind not in ("instance", "volume", "network-interface", "spot-instances-request"):
            continue  # the template's own tags (moto keeps them beside the launch data): not tagged at launch
        out.append(auth("ec2:CreateTags", r.arn("ec2", f"{kind}/*"),
                        dict(_request_tags(tags), **{"ec2:CreateAction": "RunInstances"}), why))
    return out


def _profile_roles(profile):
    from moto.iam.models import iam_backends
    iam = iam_backends[ACCOUNT]["global"]
    name = profile.get("Name") or (profile.get("Arn") or "").split("/")[-1]
    if not name:
        return []
    for candidate in iam.instance_profiles.values():
        if candidate.name == name:
            return [role.name for role in candidate.roles]
    return [name]  # a profile the emulator does not know: AWS would check the role it names


def _update_group(r):
    name = r.get("AutoScalingGroupName")
    group = _group(r, name)
    context = {}
    spec = {k.split(".", 1)[1]: v for k, v in r.params.items() if k.startswith("LaunchTemplate.")}
    mixed = {k.split(".", 4)[-1]: v for k, v in r.params.items()
             if k.startswith("MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.")}
    spec = spec or mixed
    if spec:
        context["autoscaling:LaunchTemplateVersionSpecified"] = "true" if spec.get("Version") else "false"
    out = [_group_auth(r, "autoscaling:UpdateAutoScalingGroup", name, context)]
    if spec:
        zones = r.get("VPCZoneIdentifier") or (group.vpc_zone_identifier if group is not None else "") or ""
        subnets = [s for s in zones.split(",") if s]
        out += _launch_authorizations(r, spec, subnets, "UpdateAutoScalingGroup with a launch template")
    return out


# ---------------------------------------------------------------- SSM, SQS, EventBridge, ECR, CodeDeploy

def _parameter_arn(r, name):
    if name.startswith("arn:"):
        return name
    public = name.startswith("/aws/service/")
    return r.arn("ssm", "parameter/" + name.lstrip("/"), "" if public else ACCOUNT)


def _get_parameters(r):
    return [auth("ssm:GetParameters", _parameter_arn(r, n)) for n in r.get("Names", [])]


def _get_parameter(r):
    out = [auth("ssm:GetParameter", _parameter_arn(r, r.get("Name")))]
    key = _secure_string_key(r, r.get("Name")) if r.get("WithDecryption") else None
    if key:
        # A SecureString under a customer managed key: SSM decrypts with the caller's permission
        # (Systems Manager User Guide, "AWS KMS encryption for SecureString parameters").
        arn = key if key.startswith("arn:") else r.arn("kms", key if key.startswith(("key/", "alias/")) else f"key/{key}")
        out.append(auth("kms:Decrypt", arn, {"kms:ViaService": f"ssm.{r.region}.amazonaws.com"},
                        "GetParameter WithDecryption of a SecureString"))
    return out


def _secure_string_key(r, name):
    from moto.ssm.models import ssm_backends
    parameter = ssm_backends[ACCOUNT][r.region].get_parameter(name)
    if parameter is None or parameter.parameter_type != "SecureString":
        return None
    key = parameter.keyid
    return None if not key or key in ("alias/aws/ssm",) else key


def _document_arn(r, name):
    owned_by_aws = name.startswith(("AWS-", "AWSEC2-", "AWSSupport-", "AmazonECS-", "AWSFleetManager-"))
    return r.arn("ssm", f"document/{name}", "" if owned_by_aws else ACCOUNT)


def _send_command(r):
    out = [auth("ssm:SendCommand", _document_arn(r, r.get("DocumentName")))]
    for instance_id in r.get("InstanceIds", []):
        tags = _ec2_tags(r.region, instance_id)
        out.append(auth("ssm:SendCommand", _ec2_arn(r, instance_id), _tag_context(tags, ("aws", "ssm"))))
    return out


def _ops_item_tags(r, ops_item_id):
    from . import ops_items
    item = ops_items._items.get((ACCOUNT, r.region), {}).get(ops_item_id, {})
    return {t["Key"]: t.get("Value", "") for t in item.get("_tags", [])}


def _create_ops_item(r):
    tags = {t["Key"]: t.get("Value", "") for t in r.get("Tags", [])}
    if not tags:
        return [auth("ssm:CreateOpsItem", "*")]
    # "To add tags to a new OpsItem, a user must have IAM permissions for both the ssm:CreateOpsItems
    # operation and the ssm:AddTagsToResource operation" (SSM API Reference, CreateOpsItem, Tags).
    return [auth("ssm:CreateOpsItem", "*", _request_tags(tags)),
            auth("ssm:AddTagsToResource", r.arn("ssm", "opsitem/oi-000000000000"), _request_tags(tags),
                 "CreateOpsItem with Tags")]


def _ops_item(action):
    def mapper(r):
        ops_item_id = r.get("OpsItemId")
        return [auth(action, r.arn("ssm", f"opsitem/{ops_item_id}"), _tag_context(_ops_item_tags(r, ops_item_id)))]
    return mapper


def _send_message(r):
    name = urlparse(r.get("QueueUrl")).path.rstrip("/").split("/")[-1]
    return [auth("sqs:SendMessage", r.arn("sqs", name))]


def _put_events(r):
    out = []
    for entry in r.get("Entries", []):
        bus = entry.get("EventBusName") or "default"
        arn = bus if bus.startswith("arn:") else r.arn("events", f"event-bus/{bus}")
        out.append(auth("events:PutEvents", arn, {"events:source": entry.get("Source"),
                                                  "events:detail-type": entry.get("DetailType")}))
    return out


def _repository(action):
    return lambda r: [auth(action, r.arn("ecr", f"repository/{r.get('repositoryName')}"))]


def _deployment_group(r):
    return [auth("codedeploy:GetDeploymentGroup",
                 r.arn("codedeploy", f"deploymentgroup:{r.get('applicationName')}/{r.get('deploymentGroupName')}"))]


def _deployment(r):
    from moto.codedeploy.models import codedeploy_backends
    deployment = codedeploy_backends[ACCOUNT][r.region].deployments.get(r.get("deploymentId"))
    if deployment is None:
        return [auth("codedeploy:GetDeployment", r.arn("codedeploy", "deploymentgroup:*"))]
    return [auth("codedeploy:GetDeployment", r.arn(
        "codedeploy", f"deploymentgroup:{deployment.application_name}/{deployment.deployment_group_name}"))]


MAPPERS = {
    "ecs:ListClusters": reads("ecs:ListClusters"),
    "ecs:ListContainerInstances": lambda r: [auth("ecs:ListContainerInstances", _cluster_arn(r, r.get("cluster")))],
    "ecs:DescribeContainerInstances": _ecs_per("container-instance", "containerInstances", "ecs:DescribeContainerInstances"),
    "ecs:UpdateContainerInstancesState": _ecs_per("container-instance", "containerInstances", "ecs:UpdateContainerInstancesState"),
    "ecs:ListTasks": _list_tasks,
    "ecs:DescribeTasks": _ecs_per("task", "tasks", "ecs:DescribeTasks"),
    "ecs:StopTask": _stop_task,
    "ecs:ListServices": lambda r: [auth("ecs:ListServices", "*", {"ecs:cluster": _cluster_arn(r, r.get("cluster"))})],
    "ecs:DescribeServices": _describe_services,
    "ecs:DescribeTaskDefinition": reads("ecs:DescribeTaskDefinition"),
    "ecs:TagResource": _ecs_tag_resource,
    "ecs:DescribeCapacityProviders": _describe_capacity_providers,
    "ec2:DescribeInstances": reads("ec2:DescribeInstances"),
    "ec2:DescribeInstanceTypes": reads("ec2:DescribeInstanceTypes"),
    "ec2:DescribeInstanceStatus": reads("ec2:DescribeInstanceStatus"),
    "ec2:DescribeImages": reads("ec2:DescribeImages"),
    "ec2:DescribeLaunchTemplates": reads("ec2:DescribeLaunchTemplates"),
    "ec2:DescribeLaunchTemplateVersions": reads("ec2:DescribeLaunchTemplateVersions"),
    "ec2:DescribeFleets": reads("ec2:DescribeFleets"),
    "ec2:DescribeFleetInstances": reads("ec2:DescribeFleetInstances"),
    "ec2:DescribeFleetHistory": reads("ec2:DescribeFleetHistory"),
    "ec2:DescribeSpotFleetRequests": reads("ec2:DescribeSpotFleetRequests"),
    "ec2:DescribeSpotFleetInstances": reads("ec2:DescribeSpotFleetInstances"),
    "ec2:DescribeSpotFleetRequestHistory": reads("ec2:DescribeSpotFleetRequestHistory"),
    "ec2:CreateTags": _ec2_tagging("ec2:CreateTags"),
    "ec2:DeleteTags": _ec2_tagging("ec2:DeleteTags"),
    "ec2:TerminateInstances": _terminate_instances,
    "ec2:CreateLaunchTemplateVersion": _template_action("ec2:CreateLaunchTemplateVersion"),
    "ec2:ModifyLaunchTemplate": _template_action("ec2:ModifyLaunchTemplate"),
    "ec2:ModifyFleet": _modify_fleet,
    "ec2:ModifySpotFleetRequest": _modify_spot_fleet,
    "autoscaling:DescribeAutoScalingGroups": reads("autoscaling:DescribeAutoScalingGroups"),
    "autoscaling:DescribeLifecycleHooks": reads("autoscaling:DescribeLifecycleHooks"),
    "autoscaling:DescribeAutoScalingInstances": reads("autoscaling:DescribeAutoScalingInstances"),
    "autoscaling:DescribeScalingActivities": reads("autoscaling:DescribeScalingActivities"),
    "autoscaling:DescribeWarmPool": reads("autoscaling:DescribeWarmPool"),
    "autoscaling:UpdateAutoScalingGroup": _update_group,
    "autoscaling:TerminateInstanceInAutoScalingGroup": _group_of_instance("autoscaling:TerminateInstanceInAutoScalingGroup"),
    "autoscaling:CompleteLifecycleAction": _group_named("autoscaling:CompleteLifecycleAction"),
    "autoscaling:RecordLifecycleActionHeartbeat": _group_named("autoscaling:RecordLifecycleActionHeartbeat"),
    "autoscaling:CreateOrUpdateTags": _group_tags("autoscaling:CreateOrUpdateTags"),
    "autoscaling:DeleteTags": _group_tags("autoscaling:DeleteTags"),
    "ssm:GetParameters": _get_parameters,
    "ssm:GetParameter": _get_parameter,
    "ssm:SendCommand": _send_command,
    "ssm:CreateOpsItem": _create_ops_item,
    "ssm:DescribeOpsItems": reads("ssm:DescribeOpsItems"),
    "ssm:UpdateOpsItem": _ops_item("ssm:UpdateOpsItem"),
    "ssm:GetOpsItem": _ops_item("ssm:GetOpsItem"),
    "sqs:SendMessage": _send_message,
    "sqs:ChangeMessageVisibility": lambda r: [auth("sqs:ChangeMessageVisibility", r.arn(
        "sqs", urlparse(r.get("QueueUrl")).path.rstrip("/").split("/")[-1]))],
    "events:PutEvents": _put_events,
    "ecr:DescribeImageScanFindings": _repository("ecr:DescribeImageScanFindings"),
    "inspector2:ListFindings": reads("inspector2:ListFindings"),
    "ecr:DescribeImages": _repository("ecr:DescribeImages"),
    "ecr:ListImages": _repository("ecr:ListImages"),
    "codedeploy:GetDeployment": _deployment,
    "codedeploy:GetDeploymentGroup": _deployment_group,
    "sts:GetCallerIdentity": lambda r: [],  # needs no permission (STS API Reference)
}
