"""The part of ECS's cluster query language that ListContainerInstances filters use.

AWS: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html
Expressions are `subject operator [argument]`, joined by `and` / `or` (also `&&` / `||`), with
parentheses and `not`. Supported subjects: ec2InstanceId, agentConnected, agentVersion,
runningTasksCount, attribute:NAME. Supported operators: ==, !=, >, >=, <, <=, in, !in, exists,
!exists, =~. Anything else is refused with an InvalidParameterException that says so: the emulator
never silently ignores a filter (that is the moto behaviour this replaces).
"""
import re

from moto.ecs.exceptions import InvalidParameterException

_TOKEN = re.compile(r"\s*(\(|\)|&&|\|\||==|!=|>=|<=|>|<|=~|!in\b|!exists\b|\[[^\]]*\]|[^\s()]+)")


def _tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise InvalidParameterException(f"Invalid filter expression near: {text[pos:]}")
        out.append(match.group(1))
        pos = match.end()
    return out


def _unsupported(text):
    return InvalidParameterException(
        f"The emulator does not support this cluster query expression: {text}"
    )


class _Parser:
    def __init__(self, text):
        self.text = text
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        token = self.peek()
        if token is None:
            raise InvalidParameterException(f"Invalid filter expression: {self.text}")
        self.i += 1
        return token

    def parse(self):
        node = self.disjunction()
        if self.peek() is not None:
            raise InvalidParameterException(f"Invalid filter expression: {self.text}")
        return node

    def disjunction(self):
        node = self.conjunction()
        while self.peek() in ("or", "||"):
            self.take()
            left, right = node, self.conjunction()
            node = lambda ci, l=left, r=right: l(ci) or r(ci)
        return node

    def conjunction(self):
        node = self.unary()
        while self.peek() in ("and", "&&"):
            self.take()
            left, right = node, self.unary()
            node = lambda ci, l=left, r=right: l(ci) and r(ci)
        return node

    def unary(self):
        if self.peek() in ("not", "!"):
            self.take()
            inner = self.unary()
            return lambda ci: not inner(ci)
        if self.peek() == "(":
            self.take()
            node = self.disjunction()
            if self.take() != ")":
                raise InvalidParameterException(f"Invalid filter expression: {self.text}")
            return node
        return self.comparison()

    def comparison(self):
        subject = self.take()
        getter = _subject(subject, self.text)
        operator = self.take() if self.peek() is not None else None
        if operator == "exists":
            return lambda ci: getter(ci) is not None
        if operator == "!exists":
            return lambda ci: getter(ci) is None
        if operator in ("in", "!in"):
            values = [v.strip() for v in self.take().strip("[]").split(",")]
            if operator == "in":
                return lambda ci: _text(getter(ci)) in values
            return lambda ci: _text(getter(ci)) not in values
        if operator in ("==", "!=", ">", ">=", "<", "<=", "=~"):
            argument = self.take()
            return _compare(getter, operator, argument)
        raise _unsupported(self.text)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def _compare(getter, operator, argument):
    def check(ci):
        value = getter(ci)
        if value is None:
            return operator == "!="
        if operator == "=~":
            return re.fullmatch(argument.replace("*", ".*"), _text(value)) is not None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            left, right = value, float(argument)
        else:
            left, right = _text(value), argument
        return {
            "==": left == right,
            "!=": left != right,
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
        }[operator]

    return check


def _subject(subject, text):
    if subject == "ec2InstanceId":
        return lambda ci: ci.ec2_instance_id
    if subject == "agentConnected":
        return lambda ci: bool(ci.agent_connected)
    if subject == "agentVersion":
        return lambda ci: ci.version_info.get("agentVersion")
    if subject == "runningTasksCount":
        return lambda ci: ci.running_tasks_count
    if subject.startswith("attribute:"):
        name = subject[len("attribute:"):]
        return lambda ci: ci.attributes.get(name)
    raise _unsupported(text)


def compile_filter(text):
    """Compile a filter into a predicate over moto ContainerInstance objects."""
    return _Parser(text).parse()
