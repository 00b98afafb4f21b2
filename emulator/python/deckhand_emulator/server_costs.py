"""What moto pays on every request or reset that AWS behaviour does not need: paid once instead.

Not an AWS behaviour; nothing any caller sees changes. A replay resets the emulator and makes a
few hundred calls, and the test suite makes tens of thousands; a profile (cProfile) of the replays
of one test class put more than half of the emulator's time here:
  - Finding a request's backend and its handler: moto lists its own package directory (an isdir for
    each of its ~180 entries) up to twice per request, and the methods of the handler's class, for
    lists that cannot change while it runs (the fixes are applied before the first request). Listed once.
  - Public AMIs: every new EC2 backend (each region, after each reset) makes moto's ~1,200 default
    AMIs with a volume and a snapshot each, though a replay asks for one or two (each RunInstances
    asks for its own, by id). Each is made when first asked for by its id, and every one when the
    images are listed, in moto's order, so every call sees them as before (their snapshots, which
    Deckhand never reads, appear as they are made). An image asked for by its id is looked up by that
    id, not matched against each of them.
  - Serializing a response: for each field of each object, moto asks six alias rules which
    attribute names may hold it. The answer depends only on the object's type, the field and its
    place in the API model (moto's models are loaded once), so it is worked out once for each.
"""
import copy
import os
import threading

import moto.backends
import moto.core.responses
from moto import settings
from moto.core.serialize import DEFAULT_ALIAS_PROVIDERS, ResponseSerializer, XFormedAttributePicker
from moto.core.utils import MISSING, get_value
from moto.ec2.models import amis
from moto.ec2.models.amis import AmiBackend
from moto.utilities.utils import load_resource

# The default images' arguments by region, read once (_default_images).
_DEFAULT_IMAGES = {}


def _default_images(region):
    """The default images moto makes for a new EC2 backend, by id in moto's order, as the arguments of
    each Ami (moto/ec2/models/amis.py, AmiBackend._load_amis, whose sources and steps these are)."""
    images = _DEFAULT_IMAGES.get(region)
    if images is None:
        sources = [amis.AMIS]
        if "MOTO_AMIS_PATH" not in os.environ:
            for path in ["latest_amis", "ecs/optimized_amis"]:
                try:
                    sources.append(load_resource(amis.__name__, f"../resources/{path}/{region}.json"))
                except FileNotFoundError:
                    pass
        images = {}
        for source in sources:
            for ami in source:
                arguments = dict(ami, owner_alias="amazon")   # "we are assuming the default loaded amis are owned by amazon"
                if arguments.get("creation_date"):
                    arguments["creation_date"] = amis.parse_timestamp(arguments["creation_date"])
                images[ami["ami_id"]] = arguments
        _DEFAULT_IMAGES[region] = images
    return images


class _ImagesMadeOnFirstUse(dict):
    """moto's AmiBackend.amis, whose default images are made when first used: one asked for by its id
    alone, every one when the images are listed, then in the order moto makes them."""

    def __init__(self, backend, defaults):
        super().__init__()
        self._backend = backend
        self._order = list(defaults)
        self._pending = dict(defaults)
        self._lock = threading.RLock()

    def _make(self, arguments):
        return amis.Ami(self._backend, **copy.deepcopy(arguments))

    def _one(self, key):
        if key in self._pending:
            with self._lock:
                arguments = self._pending.pop(key, None)
                if arguments is not None:
                    super().__setitem__(key, self._make(arguments))

    def _all(self):
        if self._order is None:
            return
        with self._lock:
            if self._order is None:
                return
            others = dict(super().items())
            super().clear()
            for key in self._order:
                if key in others:
                    super().__setitem__(key, others.pop(key))
                elif key in self._pending:
                    super().__setitem__(key, self._make(self._pending.pop(key)))
            for key, image in others.items():   # registered, copied or created here, after the defaults
                super().__setitem__(key, image)
            self._order = None
            self._pending.clear()

    def copy(self):
        self._all()
        return dict(super().items())


def _one_first(name):
    """dict's method `name` of one key, after that key's default image is made (if it is one)."""
    method = getattr(dict, name)

    def made_first(self, key, *rest):
        self._one(key)
        return method(self, key, *rest)
    return made_first


def _all_first(name):
    """dict's method `name` of every key, after every default image is made."""
    method = getattr(dict, name)

    def made_first(self):
        self._all()
        return method(self)
    return made_first


for _name in ["__getitem__", "__setitem__", "__delitem__", "__contains__", "get", "pop"]:
    setattr(_ImagesMadeOnFirstUse, _name, _one_first(_name))
for _name in ["__iter__", "__len__", "keys", "values", "items"]:
    setattr(_ImagesMadeOnFirstUse, _name, _all_first(_name))


def apply():
    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: modules
    method_names = moto.core.responses.method_names_from_class
    names = {}

    def method_names_once(cls):
        if cls not in names:
            names[cls] = method_names(cls)
        return names[cls]

    moto.core.responses.method_names_from_class = method_names_once

    def load_on_first_use(self):
        if "MOTO_AMIS_PATH" not in os.environ and not settings.ec2_load_default_amis():
            return
        self.amis = _ImagesMadeOnFirstUse(self, _default_images(self.region_name))

    AmiBackend._load_amis = load_on_first_use

    describe_images = AmiBackend.describe_images

    def describe_image_by_id(self, ami_ids=None, filters=None, exec_users=None, owners=None):
        # moto reads only the ids when ids are given (an id of no image is an error: moto's own path);
        # the filter RunInstances uses is image-id, which an exact id matches in that image only.
        if ami_ids and len(ami_ids) == 1 and ami_ids[0] in self.amis:
            return [self.amis[ami_ids[0]]]
        if not ami_ids and not exec_users and not owners and filters and list(filters) == ["image-id"]:
            value = filters["image-id"]
            image_id = value[0] if isinstance(value, list) and len(value) == 1 else value
            if isinstance(image_id, str) and not any(c in image_id for c in "*?["):
                return [self.amis[image_id]] if image_id in self.amis else []
        return describe_images(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)

    AmiBackend.describe_images = describe_image_by_id

    possible_keys = XFormedAttributePicker.get_possible_keys
    known = {}

    def keys_of(picker, context):
        shape = context.shape
        # The rules read the object's class (its name, its Meta), the field, and the shape with its parent.
        key = (type(context.obj), context.key, shape, getattr(shape, "parent", None))
        keys = known.get(key)
        if keys is None:
            keys = known[key] = tuple(possible_keys(picker, context))
        return keys

    def possible_keys_once(self, context):
        if self.alias_providers is not DEFAULT_ALIAS_PROVIDERS:
            return possible_keys(self, context)
        return keys_of(self, context)

    XFormedAttributePicker.get_possible_keys = possible_keys_once

    # The serializer makes a context for each field, to call the picker with; the picker's answer
    # needs the keys, the object and, for a response transformer, the field's dotted path.
    serializer_value = ResponseSerializer.get_value

    def value_of(self, value, key, shape):
        picker = self._value_picker
        keys = known.get((type(value), key, shape, getattr(shape, "parent", None)))
        if keys is None or type(picker) is not XFormedAttributePicker or picker.alias_providers is not DEFAULT_ALIAS_PROVIDERS:
            return serializer_value(self, value, key, shape)
        found = None
        for possible in keys:
            found = get_value(value, possible, MISSING)
            if found is not MISSING:
                break
        else:
            found = None
        if picker.response_transformers:
            key_path = f"{'.'.join(self.path)}.{key}"
            for transform_path, transform in picker.response_transformers.items():
                if key_path.endswith(transform_path):
                    return transform(found)
        return found

    ResponseSerializer.get_value = value_of
