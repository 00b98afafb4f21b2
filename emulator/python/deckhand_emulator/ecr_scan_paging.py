"""DescribeImageScanFindings pages its findings.

AWS behaviour reproduced (Amazon ECR API Reference, DescribeImageScanFindings): maxResults is 1 to
1000; without it at most 100 findings are returned, with a nextToken when there are more; the
token returns the next page; findingSeverityCounts always counts every finding of the scan.
moto returned every finding at once and ignored maxResults and nextToken, so a reader's paging
was never exercised.
"""
import base64
import copy
import json

from moto.ecr.exceptions import InvalidParameterException
from moto.ecr.responses import ECRResponse

_describe = ECRResponse.describe_image_scan_findings


def _page(self):
    max_results = self._get_param("maxResults")
    token = self._get_param("nextToken")
    if max_results is not None and not 1 <= int(max_results) <= 1000:
        raise InvalidParameterException("Invalid parameter at 'maxResults' failed to satisfy constraint: "
                                        "'Member must have value between 1 and 1000'")
    size = int(max_results) if max_results is not None else 100
    start = 0
    if token:
        try:
            start = json.loads(base64.urlsafe_b64decode(token.encode()).decode())["start"]
        except Exception:
            raise InvalidParameterException("Invalid parameter at 'nextToken': the token is not valid")
    result = _describe(self)
    body = copy.deepcopy(result._result)
    findings = body.get("imageScanFindings", {})
    more = False
    for key in ("findings", "enhancedFindings"):
        if key in findings:
            items = findings[key]
            findings[key] = items[start:start + size]
            more = more or start + size < len(items)
    body.pop("nextToken", None)
    if more:
        body["nextToken"] = base64.urlsafe_b64encode(json.dumps({"start": start + size}).encode()).decode()
    return type(result)(body)


def apply():
    ECRResponse.describe_image_scan_findings = _page
