"""Read YAML keeping where each mapping, key and list item starts, so a curation error can say `path:line`."""
import yaml


class LinedDict(dict):
    """A YAML mapping with the 1-based line it starts on and the line of each of its keys."""
    line: int | None = None
    key_lines: dict = {}


class LinedList(list):
    """A YAML sequence with the 1-based line of each item."""
    lines: list = []


class _LinedLoader(yaml.SafeLoader):
    def construct_lined_map(self, node):
        data = LinedDict()
        yield data
        data.update(self.construct_mapping(node))
        data.line = node.start_mark.line + 1
        # A scalar key is constructed once and cached by node, so this reads the keys just built.
        data.key_lines = {self.construct_object(k): k.start_mark.line + 1 for k, _ in node.value
                          if isinstance(k, yaml.ScalarNode)}

    def construct_lined_seq(self, node):
        data = LinedList()
        yield data
        data.extend(self.construct_sequence(node))
        data.lines = [item.start_mark.line + 1 for item in node.value]


_LinedLoader.add_constructor("tag:yaml.org,2002:map", _LinedLoader.construct_lined_map)
_LinedLoader.add_constructor("tag:yaml.org,2002:seq", _LinedLoader.construct_lined_seq)


def load(text: str):
    """Like yaml.safe_load, with LinedDict and LinedList in place of dict and list."""
    return yaml.load(text, Loader=_LinedLoader)


def line_of(container, key) -> int | None:
    """The line of `key` in a LinedDict or of item `key` in a LinedList; None for plain containers."""
    if isinstance(container, LinedDict):
        return container.key_lines.get(key)
    if isinstance(container, LinedList) and 0 <= key < len(container.lines):
        return container.lines[key]
    return None


def start_line(value) -> int | None:
    """The line a LinedDict starts on; None for anything else."""
    return value.line if isinstance(value, LinedDict) else None


def place(path, line: int | None) -> str:
    """`path:line` as editors and terminals link it; the path alone where the line is unknown."""
    return f"{path}:{line}" if line else str(path)
