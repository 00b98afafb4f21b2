"""template.yaml with AWS::LanguageExtensions applied, as JSON: what the SAM transform then reads.

Fn::ForEach loops are expanded and the Fn::FindInMap and Fn::Sub they make resolvable are resolved,
by cfn-lint's own implementation of the transform (the one `cfn-lint template.yaml` checks), so the
local command and the IAM test read the template as CloudFormation does, not through a copy of its
rules. Short-form intrinsics come out in their long form ({"Ref": ...}, {"Fn::GetAtt": [id, attr]}).
The SAM transform (Globals, Events) is not applied here.

    python3 local/template/expand.py template.yaml > expanded.json

Exits 1 naming the error when the template does not decode or the transform refuses it. The
transform is a module internal to cfn-lint, whose version requirements-dev.txt pins.
"""
import copy
import json
import sys

from cfnlint.decode import decode
from cfnlint.helpers import TRANSFORM_LANGUAGE_EXTENSION
from cfnlint.template import Template
from cfnlint.template.transforms._language_extensions import language_extension


def expand(template_path):
    """The template as a plain dict (JSON types), after AWS::LanguageExtensions if it declares it."""
    template, errors = decode(template_path)
    if errors:
        raise ValueError("; ".join(str(error) for error in errors))
    transforms = template.get("Transform", [])
    transforms = transforms if isinstance(transforms, list) else [transforms]
    if TRANSFORM_LANGUAGE_EXTENSION in transforms:
        # Template() normalises the Conditions of the dict it is given (Fn::Equals operands
        # reordered): it gets a copy, and the transform walks the template as written.
        cfn = Template(template_path, copy.deepcopy(template))
        cfn.template = template
        errors, template = language_extension(cfn)
        if errors:
            raise ValueError("; ".join(error.message for error in errors))
        remaining = [name for name in transforms if name != TRANSFORM_LANGUAGE_EXTENSION]
        template["Transform"] = remaining[0] if len(remaining) == 1 else remaining
    # cfn-lint's nodes (str_node, dict_node) carry line numbers: plain JSON types out.
    return json.loads(json.dumps(template))


def main(argv):
    try:
        expanded = expand(argv[1])
    except ValueError as error:
        print(f"{argv[1]}: {error}", file=sys.stderr)
        return 1
    json.dump(expanded, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
