"""OpsCenter OpsItems, which moto lacks: CreateOpsItem, DescribeOpsItems, UpdateOpsItem, GetOpsItem.

AWS behaviour reproduced (AWS Systems Manager API Reference, CreateOpsItem / DescribeOpsItems /
UpdateOpsItem / GetOpsItem; User Guide, "Managing duplicate OpsItems"):
- CreateOpsItem needs Title (1-1024), Description (1-2048) and Source (1-128); Priority is 1-5;
  an OperationalData key may not begin with amazon, aws or ssm (keys such as /aws/dedup are AWS's own
  and allowed); the new OpsItem is Open and gets an id oi- and 12 hex digits.
- Deduplication: CreateOpsItem whose OperationalData /aws/dedup holds the dedupString of an
  existing OpsItem of the same Source that is Open or InProgress creates nothing and fails with
  OpsItemAlreadyExistsException naming that OpsItemId; once that OpsItem is Resolved, a new one is created.
- DescribeOpsItems filters by Status, Source, Priority, OpsItemId, Title (Contains),
  OperationalDataKey, OperationalDataValue and OperationalData ({"key","value"} JSON, Equal):
  operational data is searchable only when its Type is SearchableString. MaxResults 1-50, NextToken.
  A summary carries only the SearchableString data: CreateOpsItem, OperationalData: "Searchable data
  means that all users with access to the OpsItem Overview page (as provided by the DescribeOpsItems
  API operation) can view and search on the specified data. Operational data that isn't searchable is
  only viewable by users who have access to the OpsItem (as provided by the GetOpsItem API operation)."
- UpdateOpsItem merges OperationalData (OperationalDataToDelete removes keys), sets Status
  (Open, InProgress, Resolved, ...); an unknown id is OpsItemNotFoundException.
"""
import json
import secrets
import time

from moto.core.exceptions import JsonRESTError
from moto.ssm.responses import SimpleSystemManagerResponse

_items = {}  # (account, region) -> {id: item}
_STATUSES = {"Open", "InProgress", "Resolved", "Pending", "TimedOut", "Cancelling", "Cancelled", "Failed",
             "CompletedWithSuccess", "CompletedWithFailure", "Scheduled", "RunbookInProgress", "PendingChangeCalendarOverride",
             "ChangeCalendarOverrideApproved", "ChangeCalendarOverrideRejected", "PendingApproval", "Approved", "Revoked",
             "Rejected", "Closed"}


def reset():
    _items.clear()


class OpsItemInvalidParameterException(JsonRESTError):
    def __init__(self, message):
        super().__init__("OpsItemInvalidParameterException", message)


class OpsItemNotFoundException(JsonRESTError):
    def __init__(self, message):
        super().__init__("OpsItemNotFoundException", message)


class OpsItemAlreadyExistsException(JsonRESTError):
    def __init__(self, ops_item_id):
        super().__init__("OpsItemAlreadyExistsException", f"The OpsItem already exists: {ops_item_id}")
        body = json.loads(self.description)
        body["OpsItemId"] = ops_item_id
        self.description = json.dumps(body)


def _store(response):
    return _items.setdefault((response.current_account, response.region), {})


def _length(name, value, low, high):
    if value is None or not (low <= len(value) <= high):
        raise OpsItemInvalidParameterException(f"{name} must be {low} to {high} characters.")


def _check_data(data):
    for key in (data or {}):
        if key.lower().startswith(("amazon", "aws", "ssm")):
            raise OpsItemInvalidParameterException(f"OperationalData key {key} uses a reserved prefix (amazon, aws, ssm).")


def _dedup(data):
    value = (data or {}).get("/aws/dedup", {}).get("Value")
    if not value:
        return None
    try:
        return json.loads(value).get("dedupString")
    except (ValueError, AttributeError):
        raise OpsItemInvalidParameterException("/aws/dedup must be JSON with a dedupString.")


def create_ops_item(self):
    title, description, source = self._get_param("Title"), self._get_param("Description"), self._get_param("Source")
    _length("Title", title, 1, 1024)
    _length("Description", description, 1, 2048)
    _length("Source", source, 1, 128)
    priority = self._get_param("Priority")
    if priority is not None and not 1 <= int(priority) <= 5:
        raise OpsItemInvalidParameterException("Priority must be between 1 and 5.")
    data = self._get_param("OperationalData") or {}
    _check_data(data)
    store = _store(self)
    dedup = _dedup(data)
    if dedup is not None:
        for item in store.values():
            if item["_dedup"] == (source, dedup) and item["Status"] in ("Open", "InProgress"):
                raise OpsItemAlreadyExistsException(item["OpsItemId"])
    ops_item_id = "oi-" + secrets.token_hex(6)
    now = time.time()
    item = {
        "OpsItemId": ops_item_id,
        "OpsItemArn": f"arn:aws:ssm:{self.region}:{self.current_account}:opsitem/{ops_item_id}",
        "Title": title, "Description": description, "Source": source, "Status": "Open",
        "OpsItemType": self._get_param("OpsItemType") or "/aws/issue",
        "OperationalData": data, "CreatedTime": now, "LastModifiedTime": now, "Version": "1",
        "_dedup": (source, dedup) if dedup is not None else None,
    }
    # Tags are kept for the IAM record (iam_audit.py: aws:ResourceTag); GetOpsItem and
    # DescribeOpsItems do not return them (the OpsItem shape has no Tags).
    item["_tags"] = self._get_param("Tags") or []
    for field in ("Priority", "Severity", "Category", "Notifications", "RelatedOpsItems"):
        if self._get_param(field) is not None:
            item[field] = self._get_param(field)
    store[ops_item_id] = item
    return json.dumps({"OpsItemId": ops_item_id, "OpsItemArn": item["OpsItemArn"]})


def _public(item, summary=False):
    out = {k: v for k, v in item.items() if not k.startswith("_")}
    if summary:
        out.pop("Description", None)
        out.pop("Version", None)
        # Only searchable data is seen through DescribeOpsItems; String data only through GetOpsItem.
        out["OperationalData"] = {k: v for k, v in item["OperationalData"].items() if v.get("Type") == "SearchableString"}
    return out


def _matches(item, flt):
    key, operator, values = flt.get("Key"), flt.get("Operator", "Equal"), flt.get("Values") or []
    searchable = {k: v.get("Value") for k, v in item["OperationalData"].items() if v.get("Type") == "SearchableString"}
    if key == "Status":
        return item["Status"] in values
    if key in ("Source", "OpsItemId", "Category", "Severity"):
        return str(item.get(key)) in values
    if key == "Priority":
        return str(item.get("Priority")) in values
    if key == "Title":
        return any(v in item["Title"] for v in values) if operator == "Contains" else item["Title"] in values
    if key == "OperationalDataKey":
        return any(v in searchable for v in values)
    if key == "OperationalDataValue":
        return any(v in searchable.values() for v in values)
    if key == "OperationalData":
        for raw in values:
            try:
                wanted = json.loads(raw)
            except ValueError:
                raise OpsItemInvalidParameterException("An OperationalData filter value must be JSON {\"key\": ..., \"value\": ...}.")
            if searchable.get(wanted.get("key")) == wanted.get("value"):
                return True
        return False
    raise OpsItemInvalidParameterException(f"Unsupported OpsItemFilter key {key}.")


def describe_ops_items(self):
    max_results = int(self._get_param("MaxResults") or 50)
    if not 1 <= max_results <= 50:
        raise OpsItemInvalidParameterException("MaxResults must be between 1 and 50.")
    filters = self._get_param("OpsItemFilters") or []
    items = sorted(_store(self).values(), key=lambda i: (i["CreatedTime"], i["OpsItemId"]))
    items = [i for i in items if all(_matches(i, f) for f in filters)]
    start = int(self._get_param("NextToken") or 0)
    page = items[start:start + max_results]
    body = {"OpsItemSummaries": [_public(i, summary=True) for i in page]}
    if start + max_results < len(items):
        body["NextToken"] = str(start + max_results)
    return json.dumps(body)


def _get(self):
    item = _store(self).get(self._get_param("OpsItemId"))
    if item is None:
        raise OpsItemNotFoundException(f"OpsItem {self._get_param('OpsItemId')} not found.")
    return item


def get_ops_item(self):
    return json.dumps({"OpsItem": _public(_get(self))})


def update_ops_item(self):
    item = _get(self)
    for field, low, high in (("Title", 1, 1024), ("Description", 1, 2048)):
        value = self._get_param(field)
        if value is not None:
            _length(field, value, low, high)
            item[field] = value
    status = self._get_param("Status")
    if status is not None:
        if status not in _STATUSES:
            raise OpsItemInvalidParameterException(f"Status {status} is not an OpsItem status.")
        item["Status"] = status
    priority = self._get_param("Priority")
    if priority is not None:
        if not 1 <= int(priority) <= 5:
            raise OpsItemInvalidParameterException("Priority must be between 1 and 5.")
        item["Priority"] = priority
    for field in ("Severity", "Category"):
        if self._get_param(field) is not None:
            item[field] = self._get_param(field)
    data = self._get_param("OperationalData") or {}
    _check_data(data)
    if "/aws/dedup" in data:
        raise OpsItemInvalidParameterException("The deduplication string of an OpsItem cannot be changed.")
    item["OperationalData"].update(data)
    for key in self._get_param("OperationalDataToDelete") or []:
        item["OperationalData"].pop(key, None)
    item["LastModifiedTime"] = time.time()
    item["Version"] = str(int(item["Version"]) + 1)
    return "{}"


def apply():
    SimpleSystemManagerResponse.create_ops_item = create_ops_item
    SimpleSystemManagerResponse.describe_ops_items = describe_ops_items
    SimpleSystemManagerResponse.get_ops_item = get_ops_item
    SimpleSystemManagerResponse.update_ops_item = update_ops_item
