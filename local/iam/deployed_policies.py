"""Each function's IAM policies as `sam deploy` would create them, for the IAM tests.

template.yaml is read after AWS::LanguageExtensions (local/template/expand.py: cfn-lint's expansion of
Fn::ForEach), then the SAM translator (the one cfn-lint and `sam deploy` run) turns it into CloudFormation;
what is left are the intrinsic functions CloudFormation itself resolves at deploy time (Ref, Fn::Sub,
Fn::Join, Fn::Split, Fn::If, Fn::GetAtt of a queue or a role): they are resolved here for one set of
parameter values, in account 123456789012 and the given region. A resource's physical name is its
logical id (an SQS queue's ARN ends in DrainRecheckQueue); the emulated account names them so too.

    python3 local/iam/deployed_policies.py template.yaml us-east-2 ManagedClusters=web,batch > policies.json

prints {"DrainInstanceFunction": {"role": "...", "policies": [{"name", "document"}, ...], "polls": [queue ARN, ...],
"logGroup": name}, ...} with the AWS managed policies SAM attaches (their documents are in
managed-policies.json) and the template's AWS::IAM::RolePolicy resources on the role included, the SQS
queues Lambda polls with the function's role (its event source mappings) and its log group.

    python3 local/iam/deployed_policies.py --buses template.yaml us-east-2

prints the resource-based policy of each of the template's event buses, by the bus's ARN.

    echo '[{"region": "us-east-2", "parameters": {"ManagedClusters": ""}}, ...]' | python3 local/iam/deployed_policies.py --many template.yaml

prints the first form's answer for each request, in a list: one SAM transform per region for them all.

    python3 local/iam/deployed_policies.py --transformed template.yaml us-east-2

prints the whole template as the SAM transform leaves it (AWS::Lambda::Function, AWS::IAM::Role,
AWS::Events::Rule, ...), intrinsics unresolved: what CloudFormation deploys, for local's template tests.
"""
import copy
import json
import os
import re
import sys

from cfnlint.data import Serverless
from cfnlint.helpers import load_resource
from samtranslator.parser import parser
from samtranslator.translator.translator import Translator

ACCOUNT = "123456789012"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "template"))
from expand import expand  # noqa: E402  (local/template/expand.py)


_translated = {}


def translate(template_path, region, overrides):
    """The SAM transform's output (once per template and region in a process) and the parameter values."""
    if (template_path, region) not in _translated:
        template = expand(template_path)
        for resource in template["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = "s3://deckhand-iam-test/function.zip"
        os.environ["AWS_DEFAULT_REGION"] = region
        translator = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"),
                                sam_parser=parser.Parser())
        # Intrinsics stay as they are: CloudFormation resolves them, and so does Resolver below.
        output = translator.translate(sam_template=template, parameter_values={}, passthrough_metadata=False)
        _translated[(template_path, region)] = (output, template.get("Parameters", {}))
    output, specs = _translated[(template_path, region)]
    parameters = {name: str(spec.get("Default", "")) for name, spec in specs.items()}
    parameters.update(overrides)
    for name, spec in specs.items():  # Ref of a list parameter is a list, as in CloudFormation
        if spec.get("Type", "").startswith(("CommaDelimitedList", "List<")):
            parameters[name] = parameters[name].split(",")
    return output, parameters


class Resolver:
    """CloudFormation's intrinsic functions, for the parts of a template that policies use."""

    def __init__(self, template, parameters, region):
        self.template = template
        self.region = region
        self.refs = dict(parameters)
        self.refs.update({"AWS::AccountId": ACCOUNT, "AWS::Region": region, "AWS::Partition": "aws",
                          "AWS::StackName": "deckhand", "AWS::URLSuffix": "amazonaws.com"})
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self.conditions[name]

    def ref(self, name):
        if name in self.refs:
            return self.refs[name]
        resource = self.template["Resources"].get(name)
        if resource is None:
            raise KeyError(f"Ref to unknown {name}")
        if resource["Type"] == "AWS::SQS::Queue":
            return f"https://sqs.{self.region}.amazonaws.com/{ACCOUNT}/{name}"
        return name

    def get_att(self, name, attribute):
        resource = self.template["Resources"][name]
        kind = resource["Type"]
        if attribute == "Arn":
            if kind == "AWS::SQS::Queue":
                return f"arn:aws:sqs:{self.region}:{ACCOUNT}:{name}"
            if kind == "AWS::IAM::Role":
                return f"arn:aws:iam::{ACCOUNT}:role/{name}"
            if kind == "AWS::Events::EventBus":
                return f"arn:aws:events:{self.region}:{ACCOUNT}:event-bus/{name}"
            if kind == "AWS::Lambda::Function":
                return f"arn:aws:lambda:{self.region}:{ACCOUNT}:function:{name}"
            if kind == "AWS::Logs::LogGroup":
                return f"arn:aws:logs:{self.region}:{ACCOUNT}:log-group:{name}:*"
        if kind == "AWS::Events::EventBus" and attribute == "Name":
            return name
        raise KeyError(f"Fn::GetAtt {name}.{attribute} is not modelled")

    def resolve(self, value):
        if isinstance(value, list):
            out = [self.resolve(v) for v in value]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return NO_VALUE if arg == "AWS::NoValue" else self.ref(arg)
            if key == "Fn::Sub":
                return self.sub(arg)
            if key == "Fn::Join":
                delimiter, items = arg
                return delimiter.join(str(v) for v in self.flatten(self.resolve(items)))
            if key == "Fn::Split":
                delimiter, source = arg
                return str(self.resolve(source)).split(delimiter)
            if key == "Fn::If":
                name, then, otherwise = arg
                return self.resolve(then if self.condition(name) else otherwise)
            if key == "Fn::Equals":
                a, b = (self.resolve(v) for v in arg)
                return a == b
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in arg)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
                return self.get_att(name, attribute)
        out = {}
        for k, v in value.items():
            resolved = self.resolve(v)
            if resolved is not NO_VALUE:
                out[k] = resolved
        return out

    def flatten(self, items):
        for item in items:
            if isinstance(item, list):
                yield from self.flatten(item)
            else:
                yield item

    def sub(self, arg):
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match):
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            if "." in name:
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}!]+)\}", replace, text)


NO_VALUE = object()


def deployed_policies(template_path, region, overrides):
    output, parameters = translate(template_path, region, overrides)
    resolver = Resolver(output, parameters, region)
    with open(os.path.join(HERE, "managed-policies.json")) as managed_file:
        managed = json.load(managed_file)
    functions = {}
    for name, resource in output["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        role_name = resource["Properties"]["Role"]["Fn::GetAtt"][0]
        role = output["Resources"][role_name]["Properties"]
        policies = []
        for policy in role.get("Policies", []):
            policies.append({"name": policy["PolicyName"], "document": resolver.resolve(copy.deepcopy(policy["PolicyDocument"]))})
        for resource_id, attached in output["Resources"].items():  # AWS::IAM::RolePolicy of the template's own
            if attached["Type"] == "AWS::IAM::RolePolicy" and attached["Properties"]["RoleName"] == {"Ref": role_name}:
                policies.append({"name": resource_id, "document": resolver.resolve(copy.deepcopy(attached["Properties"]["PolicyDocument"]))})
        for arn in role.get("ManagedPolicyArns", []):
            arn = resolver.resolve(arn)
            if arn not in managed:
                raise KeyError(f"{name}: managed policy {arn} is not in managed-policies.json")
            policies.append({"name": arn, "document": managed[arn]})
        log_group = resolver.resolve(resource["Properties"].get("LoggingConfig", {}).get("LogGroup"))
        functions[name] = {"role": f"arn:aws:iam::{ACCOUNT}:role/{role_name}", "policies": policies, "polls": [],
                           "logGroup": log_group}
    # The queues Lambda polls with a function's role (its event source mappings, to it or its alias).
    for resource in output["Resources"].values():
        if resource["Type"] == "AWS::Lambda::EventSourceMapping":
            target = resource["Properties"]["FunctionName"]["Ref"]
            alias = output["Resources"][target]
            if alias["Type"] == "AWS::Lambda::Alias":
                target = alias["Properties"]["FunctionName"]["Ref"]
            functions[target]["polls"].append(resolver.resolve(resource["Properties"]["EventSourceArn"]))
    return functions


def bus_policies(template_path, region, overrides):
    output, parameters = translate(template_path, region, overrides)
    resolver = Resolver(output, parameters, region)
    buses = {}
    for resource in output["Resources"].values():
        if resource["Type"] == "AWS::Events::EventBus":
            properties = resolver.resolve(copy.deepcopy(resource["Properties"]))
            buses[f"arn:aws:events:{region}:{ACCOUNT}:event-bus/{properties['Name']}"] = properties.get("Policy")
    return buses


def main(argv):
    if argv[1] == "--transformed":
        output, _ = translate(argv[2], argv[3], {})
        json.dump(output, sys.stdout, indent=1)
        return
    if argv[1] == "--many":
        # A JSON list of {"region", "parameters"} on stdin: the same list of answers, from one transform per region.
        requests = json.load(sys.stdin)
        json.dump([deployed_policies(argv[2], r["region"], r["parameters"]) for r in requests], sys.stdout, sort_keys=True)
        return
    if argv[1] == "--buses":
        template_path, region = argv[2], argv[3]
        overrides = dict(arg.split("=", 1) for arg in argv[4:])
        json.dump(bus_policies(template_path, region, overrides), sys.stdout, indent=1, sort_keys=True)
        return
    template_path, region = argv[1], argv[2]
    overrides = dict(arg.split("=", 1) for arg in argv[3:])
    json.dump(deployed_policies(template_path, region, overrides), sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
