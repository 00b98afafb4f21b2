"""server_costs.py changes what moto pays, never what a caller sees: the same state, asked the same
questions, answers the same with it as without it (moto in process, through its own serializers)."""
import json
import unittest

import boto3
from moto import mock_aws
from moto.moto_api._internal.models import moto_api_backend

from deckhand_emulator import server_costs

REGION = "us-east-2"
UNREGISTERED_IMAGE = "ami-0a1b2c3d4e5f60718"   # the seeders' image: moto launches from an id it does not know
FROM_THE_IMAGE = ["ImageId", "Architecture", "Platform", "RootDeviceName", "RootDeviceType", "VirtualizationType", "Hypervisor"]


def _plain(answer):
    """An answer without what differs from one request to the next (request id, date header)."""
    answer = dict(answer)
    answer.pop("ResponseMetadata", None)
    return json.loads(json.dumps(answer, default=str, sort_keys=True))


def _defaults(images):
    """Default images as a reset remakes them: the same ones (each on a new snapshot, some dated anew)."""
    return [(image["ImageId"], image.get("Name"), image["OwnerId"], image["Public"], image["State"]) for image in images]


def _from_the_image(launched):
    """What RunInstances takes from the image it launches, for each instance launched."""
    return [{key: instance.get(key) for key in FROM_THE_IMAGE} for instance in launched["Instances"]]


def _shape(value):
    """The field names of an answer, at every depth: what moto's serializer decides."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


class ServerCostsTest(unittest.TestCase):

    def setUp(self):
        self.aws = mock_aws()
        self.aws.start()
        self.addCleanup(self.aws.stop)
        self.ec2 = boto3.client("ec2", region_name=REGION)
        self.ecs = boto3.client("ecs", region_name=REGION)
        self.autoscaling = boto3.client("autoscaling", region_name=REGION)

    def _seed(self):
        """Instances (tagged, from a public image), a cluster with one of them registered, a group."""
        image = self.ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        launched = self.ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType="m5.large",
                                          TagSpecifications=[{"ResourceType": "instance",
                                                              "Tags": [{"Key": "deckhand:cluster", "Value": "web"}]}])
        unregistered = self.ec2.run_instances(ImageId=UNREGISTERED_IMAGE, MinCount=1, MaxCount=1, InstanceType="m5.large")
        launched["Instances"] += unregistered["Instances"]
        self.ecs.create_cluster(clusterName="web")
        instance = launched["Instances"][0]["InstanceId"]
        registered = self.ecs.register_container_instance(cluster="web", instanceIdentityDocument=json.dumps(
            {"instanceId": instance, "region": REGION}), attributes=[{"name": "ecs.os-type", "value": "linux"}])
        template = self.ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image})
        self.autoscaling.create_auto_scaling_group(AutoScalingGroupName="web-asg", MinSize=0, MaxSize=2, DesiredCapacity=0,
                                                   AvailabilityZones=[REGION + "a"],
                                                   LaunchTemplate={"LaunchTemplateId": template["LaunchTemplate"]["LaunchTemplateId"]})
        return image, launched, registered

    def _answers(self, image):
        arn = self.ecs.list_container_instances(cluster="web")["containerInstanceArns"]
        return [_plain(answer) for answer in [
            self.ec2.describe_instances(),
            self.ec2.describe_images(ImageIds=[image]),
            self.ec2.describe_images(Filters=[{"Name": "image-id", "Values": [image]}]),
            self.ec2.describe_launch_template_versions(LaunchTemplateName="web"),
            self.ecs.describe_container_instances(cluster="web", containerInstances=arn),
            self.ecs.describe_clusters(clusters=["web"]),
            self.autoscaling.describe_auto_scaling_groups(),
        ]]

    def test_sameState_answersTheSame_andDefaultImagesAreThereAfterAReset(self):
        image, launched, registered = self._seed()
        plain = self._answers(image)
        defaults = _defaults(self.ec2.describe_images(Owners=["amazon"])["Images"])

        server_costs.apply()
        paid_once = self._answers(image)
        self.assertEqual(plain, paid_once)

        # A reset makes new backends: their default images are made when first read, the same ones in
        # the same order, whether one was asked for by its id before or not.
        moto_api_backend.reset()
        self.assertEqual(_defaults(self.ec2.describe_images(Owners=["amazon"])["Images"]), defaults)
        moto_api_backend.reset()
        self.ec2.describe_images(ImageIds=[defaults[5][0]])
        self.assertEqual(_defaults(self.ec2.describe_images(Owners=["amazon"])["Images"]), defaults)
        moto_api_backend.reset()
        _, launched_again, registered_again = self._seed()   # the first read of the images is by owner
        self.assertEqual(_shape(_plain(launched_again)), _shape(_plain(launched)))
        self.assertEqual(_from_the_image(launched_again), _from_the_image(launched))
        self.assertEqual(_shape(_plain(registered_again)), _shape(_plain(registered)))
        moto_api_backend.reset()
        self.assertEqual(_plain(self.ec2.describe_images(ImageIds=[image]))["Images"][0]["ImageId"], image,
                         "a default image asked for by id before any other read")


if __name__ == "__main__":
    unittest.main()
