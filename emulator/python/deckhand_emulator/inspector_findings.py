"""Inspector2 ListFindings with its filters, which moto answers from a static queue, unfiltered.

AWS behaviour reproduced (Amazon Inspector API Reference, ListFindings, FilterCriteria, StringFilter):
- filterCriteria narrows the findings: every key given must match (AND); within one key any of its
  filters may match (OR), except NOT_EQUALS filters, which must all hold. A StringFilter is
  {comparison: EQUALS | PREFIX | NOT_EQUALS, value}. Keys modelled: awsAccountId, findingArn,
  findingStatus (ACTIVE | SUPPRESSED | CLOSED), findingType, severity, vulnerabilityId,
  resourceType, ecrImageRepositoryName, ecrImageHash (a finding's first resource); another key is
  refused rather than ignored.
- maxResults is 1 to 100 (a page never holds more), nextToken returns the next page.
Findings exist only through Inspector's scans; the control API (inspector2/finding) stores one, in
the shape ListFindings returns (the shape of the Inspector2 Finding event's detail).
"""
import base64
import json

from moto.core.exceptions import JsonRESTError
from moto.inspector2.responses import Inspector2Response

_findings = {}  # (account, region) -> {findingArn: finding}


def reset():
    _findings.clear()


class ValidationException(JsonRESTError):
    def __init__(self, message):
        super().__init__("ValidationException", message)


def _resource(finding):
    resources = finding.get("resources") or [{}]
    return resources[0]


_KEYS = {
    "awsAccountId": lambda f: f.get("awsAccountId"),
    "findingArn": lambda f: f.get("findingArn"),
    "findingStatus": lambda f: f.get("status"),
    "findingType": lambda f: f.get("type"),
    "severity": lambda f: f.get("severity"),
    "vulnerabilityId": lambda f: (f.get("packageVulnerabilityDetails") or {}).get("vulnerabilityId"),
    "resourceType": lambda f: _resource(f).get("type"),
    "ecrImageRepositoryName": lambda f: ((_resource(f).get("details") or {}).get("awsEcrContainerImage") or {}).get("repositoryName"),
    "ecrImageHash": lambda f: ((_resource(f).get("details") or {}).get("awsEcrContainerImage") or {}).get("imageHash"),
}


def _string_match(value, flt):
    comparison, wanted = flt.get("comparison"), flt.get("value")
    if comparison not in ("EQUALS", "PREFIX", "NOT_EQUALS") or wanted is None:
        raise ValidationException("A StringFilter needs comparison EQUALS, PREFIX or NOT_EQUALS and a value.")
    if comparison == "EQUALS":
        return value == wanted
    if comparison == "PREFIX":
        return value is not None and value.startswith(wanted)
    return value != wanted


def _matches(finding, criteria):
    for key, filters in (criteria or {}).items():
        if key not in _KEYS:
            raise ValidationException(f"filterCriteria key {key} is not modelled by the emulator.")
        value = _KEYS[key](finding)
        positive = [f for f in filters if f.get("comparison") != "NOT_EQUALS"]
        negative = [f for f in filters if f.get("comparison") == "NOT_EQUALS"]
        if positive and not any(_string_match(value, f) for f in positive):
            return False
        if not all(_string_match(value, f) for f in negative):
            return False
    return True


def list_findings(self):
    max_results = self._get_param("maxResults")
    if max_results is not None and not 1 <= int(max_results) <= 100:
        raise ValidationException("maxResults must be between 1 and 100.")
    size = int(max_results) if max_results is not None else 100
    token = self._get_param("nextToken")
    start = 0
    if token:
        try:
            start = json.loads(base64.urlsafe_b64decode(token.encode()).decode())["start"]
        except Exception:
            raise ValidationException("nextToken is not valid.")
    store = _findings.get((self.current_account, self.region), {})
    matching = [f for f in store.values() if _matches(f, self._get_param("filterCriteria"))]
    body = {"findings": matching[start:start + size]}
    if start + size < len(matching):
        body["nextToken"] = base64.urlsafe_b64encode(json.dumps({"start": start + size}).encode()).decode()
    return json.dumps(body)


def control_finding(body):
    """Control API inspector2/finding {region, account?, finding}: Inspector's scan found (or updated) it."""
    finding = body["finding"]
    account = body.get("account") or finding.get("awsAccountId")
    _findings.setdefault((account, body["region"]), {})[finding["findingArn"]] = finding
    return {"findings": len(_findings[(account, body["region"])])}


def apply():
    Inspector2Response.list_findings = list_findings
