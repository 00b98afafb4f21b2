"""EC2 client tokens on CreateLaunchTemplateVersion, which moto ignores.

AWS behaviour reproduced (Amazon EC2 Developer Guide, "Ensuring idempotency in Amazon EC2 API requests",
https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html): CreateLaunchTemplateVersion
takes a ClientToken. Repeated with the same token and the same parameters, it succeeds without doing
anything more (here: it gives the first answer again, the version it made then); with the same token and other
parameters it fails with IdempotentParameterMismatch. The SDKs fill the token themselves (ClientToken is
an idempotencyToken in the API model) and send it again with every retry of the call.
"""
import json

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.launch_templates import LaunchTemplates

_made = {}  # (account, region, token) -> (parameters, the first answer)
_original = {}


def reset():
    _made.clear()


class IdempotentParameterMismatch(EC2ClientError):
    def __init__(self, token):
        super().__init__("IdempotentParameterMismatch",
                         f"The client token {token} was used before with other parameters.")


def create_launch_template_version(self):
    token = self._get_param("ClientToken")
    if not token:
        return _original["create_launch_template_version"](self)
    parameters = json.dumps({name: self._get_param(name) for name in
                             ("LaunchTemplateId", "LaunchTemplateName", "SourceVersion", "VersionDescription", "LaunchTemplateData")},
                            sort_keys=True, default=str)
    key = (self.current_account, self.region, token)
    if key in _made:
        made, answer = _made[key]
        if made != parameters:
            raise IdempotentParameterMismatch(token)
        return ActionResult(answer)
    result = _original["create_launch_template_version"](self)
    _made[key] = (parameters, result.result)
    return result


def apply():
    _original["create_launch_template_version"] = LaunchTemplates.create_launch_template_version
    LaunchTemplates.create_launch_template_version = create_launch_template_version
