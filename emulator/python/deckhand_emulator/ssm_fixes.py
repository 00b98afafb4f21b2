"""SSM Run Command: sends to the instances named, and only those; refuses a document that does not exist.

AWS behaviour reproduced (AWS Systems Manager API Reference, SendCommand):
- InstanceIds and Targets are two ways to name the instances; a command with InstanceIds and no
  Targets runs on exactly those instances. moto resolves an empty Targets list to every instance in
  the region, so a pre-drain command would appear to run fleet-wide.
- A DocumentName that names no document is refused with InvalidDocument. moto accepts any name. It
  also ships none of AWS's managed documents, so names with AWS's own prefixes (AWS-RunShellScript,
  AWSSupport-..., Amazon...) are taken as existing.
"""
from moto.ssm.exceptions import InvalidDocument
from moto.ssm.models import Command, SimpleSystemManagerBackend

_from_targets = Command._get_instance_ids_from_targets
_send_command = SimpleSystemManagerBackend.send_command
_AWS_MANAGED = ("AWS-", "AWSEC2-", "AWSSupport-", "AWSConfigRemediation-", "AWSFleetManager-", "Amazon")


def _instance_ids_from_targets(self):
    if not self.targets:
        return []
    return _from_targets(self)


def _send_command_to_a_document(self, comment, document_name, *args, **kwargs):
    name = (document_name or "").split("document/")[-1]
    if name not in self._documents and not name.startswith(_AWS_MANAGED):
        raise InvalidDocument("The specified document does not exist.")
    return _send_command(self, comment, document_name, *args, **kwargs)


def apply():
    Command._get_instance_ids_from_targets = _instance_ids_from_targets
    SimpleSystemManagerBackend.send_command = _send_command_to_a_document
