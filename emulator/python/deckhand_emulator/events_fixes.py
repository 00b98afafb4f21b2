"""EventBridge delivers events as AWS documents them, where moto differs and Deckhand relies on it.

AWS: every event a rule delivers to its target (an SQS queue here) carries the top-level fields of
the event structure, `account` among them ("The 12-digit number identifying an AWS account";
EventBridge User Guide, "Amazon EventBridge event structure",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html). moto's default
target input left `account` out, so a Deckhand function reading such a delivery (the local rotation
demo's retirement requests) refused it for naming no account. EventsFidelityTest pins it.
"""
from moto.events.utils import EventTemplateParser


def apply():
    template = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
    if '"account"' not in template:
        EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = template.replace(
            '"detail-type": "<detail-type>",', '"detail-type": "<detail-type>", "account": "<account>",')
